import type { StoreModule } from './types.js';
import { checkServerUrl } from './url.js';

export const postgres: StoreModule = {
  id: 'postgres',
  label: 'PostgreSQL (a server; shared by every instance)',
  phrase: 'a PostgreSQL',
  kind: 'server',
  dependencies: ['connect-pg-simple', 'pg'],
  installScripts: [],
  urlEnv: 'DATABASE_URL',
  defaultUrl: 'postgres://postgres@127.0.0.1:5432/sessions',
  urlSchemes: ['postgres:', 'postgresql:'],
  urlHint: 'use a URL such as postgres://user@127.0.0.1:5432/sessions',
  validateUrl: (url) => checkServerUrl(url, ['postgres:', 'postgresql:'], 'PostgreSQL'),
};
