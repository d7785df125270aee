import type { ProxyModule } from './types.js';

export const paas: ProxyModule = {
  id: 'paas',
  label: 'a platform (Heroku, Render, Fly.io, ...): its router terminates TLS, one hop',
  // The platform's router connects from an address that changes, on whatever PORT it gives the app,
  // and appends the client's address to X-Forwarded-For: trust exactly that one hop.
  host: '0.0.0.0',
  trustProxy: '1',
  takesTrustProxy: false,
  // Platforms forward the app's headers but do not add HSTS: the app sends it in production.
  sendsHsts: false,
  servesHttps: false,
};
