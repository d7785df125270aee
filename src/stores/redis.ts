import type { StoreModule } from './types.js';
import { checkServerUrl } from './url.js';

export const redis: StoreModule = {
  id: 'redis',
  label: 'Redis (a server; shared by every instance, sessions expire on their own)',
  phrase: 'a Redis',
  kind: 'server',
  dependencies: ['connect-redis', 'rate-limit-redis', 'redis'],
  installScripts: [],
  urlEnv: 'REDIS_URL',
  defaultUrl: 'redis://127.0.0.1:6379',
  urlSchemes: ['redis:', 'rediss:'],
  urlHint: 'use a URL such as redis://127.0.0.1:6379 (rediss:// for TLS)',
  validateUrl: (url) => checkServerUrl(url, ['redis:', 'rediss:'], 'Redis'),
};
