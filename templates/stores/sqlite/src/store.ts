// The session store: one SQLite file on disk (SQLITE_PATH), so sessions survive a restart.
import { SqliteRateLimitStore } from './sqlite-rate-limit-store.ts';
import { SqliteStore } from './sqlite-store.ts';

/** What config.ts says of the store: the file (SQLITE_PATH), and the variable that names it. */
export interface SqliteConfig {
  store: { url: string; variable: string };
}

// better-sqlite3 13's built-in binaries use Node-API 10 (Node 22.14+, 24, 26): on an older Node they
// crash the process with a segmentation fault at the first database, so say so in one line instead.
const NODE_API_NEEDED = 10;

export async function createSessionStore(config: SqliteConfig) {
  if (Number(process.versions.napi) < NODE_API_NEEDED) {
    throw new Error(
      `the SQLite store needs Node.js 22.14 or newer (Node-API ` +
        `${NODE_API_NEEDED}); this is ${process.version}: upgrade Node.js`,
    );
  }
  let store: SqliteStore;
  try {
    store = new SqliteStore({ path: config.store.url });
  } catch (err) {
    // one line that says where, why and what to check, like the other stores
    const { message } = err as Error;
    throw new Error(
      `cannot open the session store at ${config.store.url} (${message}); check ${config.store.variable}`,
    );
  }
  return {
    store,
    ping: async () => store.ping(), // used by GET /health
    // the login throttle's counts, in the same file: every instance on this machine shares them
    rateLimitStore: (prefix: string) => new SqliteRateLimitStore(store.db, prefix),
    close: async () => store.close(),
  };
}
