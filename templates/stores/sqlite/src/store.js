// The session store: one SQLite file on disk (SQLITE_PATH), so sessions survive a restart.
import { SqliteRateLimitStore } from './sqlite-rate-limit-store.js';
import { SqliteStore } from './sqlite-store.js';

export async function createSessionStore(config) {
  let store;
  try {
    store = new SqliteStore({ path: config.store.url });
  } catch (err) {
    // one line that says where, why and what to check, like the other stores
    throw new Error(`cannot open the session store at ${config.store.url} (${err.message}); check ${config.store.variable}`);
  }
  return {
    store,
    ping: async () => store.ping(), // used by GET /health
    // the login throttle's counts, in the same file: every instance on this machine shares them
    rateLimitStore: (prefix) => new SqliteRateLimitStore(store.db, prefix),
    close: async () => store.close(),
  };
}
