import type { StoreModule } from './types.js';

export const sqlite: StoreModule = {
  id: 'sqlite',
  label: 'SQLite (a file, no server; one machine)',
  phrase: 'an SQLite',
  kind: 'file',
  dependencies: ['better-sqlite3'],
  // better-sqlite3 13 carries its compiled binary for every platform it supports and says
  // gypfile: false; pnpm 10 and yarn 1 would still run node-gyp, which builds nothing then.
  installScripts: [
    {
      name: 'better-sqlite3',
      has: 'binding.gyp',
      run: false,
      why:
        'it ships its compiled binary for every platform it ' +
        'supports; a build would only need Python and a C++ compiler',
    },
  ],
  urlEnv: 'SQLITE_PATH',
  defaultUrl: './data/sessions.db',
  urlSchemes: [],
  urlHint: 'use a file path such as ./data/sessions.db',
  validateUrl(url) {
    if (url.trim() === '') return 'the SQLite path is empty';
    if (/[\0\r\n]/.test(url)) return 'the SQLite path contains a control character';
    // .env.example cannot hold these; Node takes / as the separator on Windows too.
    if (url.includes('"')) return 'the SQLite path contains a double quote';
    if (url.includes('\\')) return 'the SQLite path contains a backslash (write / instead, also on Windows)';
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return 'the SQLite store takes a file path, not a URL';
    if (url.endsWith('/')) return 'the SQLite path names a directory, not a file';
    return undefined;
  },
};
