import type { StoreModule } from './types.js';
import { checkServerUrl } from './url.js';

export const mysql: StoreModule = {
  id: 'mysql',
  label: 'MySQL or MariaDB (a server; shared by every instance)',
  phrase: 'a MySQL/MariaDB',
  kind: 'server',
  dependencies: ['express-mysql-session', 'mysql2'],
  installScripts: [],
  // @types/express-mysql-session depends on a mysql2 of its own, whose types clash with the app's mysql2.
  typeOverrides: ['mysql2'],
  urlEnv: 'DATABASE_URL',
  defaultUrl: 'mysql://root@127.0.0.1:3306/sessions',
  urlSchemes: ['mysql:'],
  urlHint: 'use a URL such as mysql://user@127.0.0.1:3306/sessions',
  validateUrl(url) {
    const problem = checkServerUrl(url, ['mysql:'], 'MySQL');
    if (problem) return problem;
    // Without a database, MySQL has nowhere to put the sessions table.
    if (new URL(url).pathname.length <= 1) return 'it names no database (the path after the host)';
    return undefined;
  },
};
