import type { ProxyModule } from './types.js';

export const custom: ProxyModule = {
  id: 'custom',
  label: 'another proxy or load balancer, elsewhere (name it with --trust-proxy)',
  // The proxy is on another machine or container, so the app listens on every interface and
  // believes X-Forwarded-* only from the addresses (or hop count) given with --trust-proxy.
  host: '0.0.0.0',
  // The default of --trust-proxy: private networks (Docker, Kubernetes, a VPC), never the internet.
  trustProxy: 'uniquelocal',
  takesTrustProxy: true,
  // Whether that proxy sends HSTS is unknown, so the app does: a missing header is worse than two.
  sendsHsts: false,
  servesHttps: false,
};
