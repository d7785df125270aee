import type { ProxyModule } from './types.js';

export const none: ProxyModule = {
  id: 'none',
  label: 'none: the app serves HTTPS itself',
  host: '0.0.0.0',
  // Nobody stands in front, so no X-Forwarded-* header can be believed.
  trustProxy: 'false',
  takesTrustProxy: false,
  sendsHsts: false,
  servesHttps: true,
};
