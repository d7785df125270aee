import type { StoreModule } from './types.js';
import { checkServerUrl } from './url.js';

export const redis: StoreModule = {
  id: 'redis',
  label: 'Redis (a server; shared by every instance, sessions expire on their own)',
  phrase: 'a Redis',
  kind: 'server',
  // connect-redis 10 needs Node 22; 9 admits the app's Node 20.19 and exports { RedisStore }.
  dependencies: { 'connect-redis': '^9.0.0', redis: '^5.12.1' },
  allowScripts: [],
  urlEnv: 'REDIS_URL',
  defaultUrl: 'redis://127.0.0.1:6379',
  urlSchemes: ['redis:', 'rediss:'],
  urlHint: 'use a URL such as redis://127.0.0.1:6379 (rediss:// for TLS)',
  validateUrl: (url) => checkServerUrl(url, ['redis:', 'rediss:'], 'Redis'),
};
