import type { ProxyModule } from './types.js';

export const caddy: ProxyModule = {
  id: 'caddy',
  label: 'Caddy on the same host, with automatic HTTPS',
  // Caddy on the same host reaches the app over loopback; nothing else should. Caddy replaces any
  // X-Forwarded-For/-Proto/-Host a client sends (it trusts no proxy in front of itself by default).
  host: '127.0.0.1',
  trustProxy: 'loopback',
  takesTrustProxy: false,
  sendsHsts: true,
  servesHttps: false,
};
