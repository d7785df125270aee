import type { ProxyModule } from './types.js';

export const nginx: ProxyModule = {
  id: 'nginx',
  label: 'nginx on the same host, terminating TLS',
  // nginx on the same host reaches the app over loopback; nothing else should.
  host: '127.0.0.1',
  trustProxy: 'loopback',
  takesTrustProxy: false,
  sendsHsts: true,
  servesHttps: false,
};
