// The session store: one SQLite file on disk (SQLITE_PATH), so sessions survive a restart.
import { SqliteStore } from './sqlite-store.js';

export async function createSessionStore(config) {
  const store = new SqliteStore({ path: config.sqlitePath });
  return {
    store,
    ping: async () => store.ping(), // used by GET /health
    close: async () => store.close(),
  };
}
