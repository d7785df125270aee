// The session store: PostgreSQL (DATABASE_URL). Each session is a row of the table TABLE:
// sid (the session id), sess (the session as JSON) and expire (when the cookie expires).
import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import pg from 'pg';
import type { Pool } from 'pg';
import { PgRateLimitStore, prepareRateLimitTable, pruneRateLimits } from './pg-rate-limit-store.ts';
import { closeWithin, reachStore, STORE_TIMEOUT_MS, withCallTimeouts, withTimeout } from './store-timeout.ts';
import type { ServerStoreConfig } from './store-timeout.ts';

const PgStore = connectPgSimple(session);
export const TABLE = 'session';
const PRUNE_EVERY_SECONDS = 15 * 60;

export async function createSessionStore(config: ServerStoreConfig) {
  const pool = new pg.Pool({
    connectionString: config.store.url, // user, password, database; ?sslmode=verify-full for TLS
    connectionTimeoutMillis: STORE_TIMEOUT_MS, // a new connection must be ready within this time
    query_timeout: STORE_TIMEOUT_MS, // a query without an answer fails, and its connection is dropped
    keepAlive: true, // TCP keepalive, so a connection to a vanished server is noticed
    max: 10,
  });
  // A pooled connection that breaks while idle (PostgreSQL restarted) is reported here: Node exits
  // on an 'error' event nobody listens to. The pool opens a new connection when one is needed.
  pool.on('error', (err) => console.error(`session store: a PostgreSQL connection failed (${err.message})`));

  const store = new PgStore({
    pool,
    tableName: TABLE,
    createTableIfMissing: true, // off by default in connect-pg-simple
    // Delete expired rows about every 15 minutes (expired sessions are never handed out before that).
    // The timer does not keep the process alive, and close() stops it.
    pruneSessionInterval: PRUNE_EVERY_SECONDS,
  });
  await reachStore(
    config,
    () => prepareTable(pool, store),
    () => pool.end(),
  );
  // The login throttle's finished windows, deleted as often as expired sessions.
  const pruneTimer = setInterval(
    () =>
      pruneRateLimits(pool).catch((err) => {
        console.error(`session store: could not delete old login counts (${err.message})`);
      }),
    PRUNE_EVERY_SECONDS * 1000,
  );
  pruneTimer.unref(); // never keep the process alive just to clean up
  return {
    store: withCallTimeouts(store),
    ping: () => withTimeout(pool.query('SELECT 1')), // GET /health
    // the login throttle's counts, in the table login_attempts: every instance shares them
    rateLimitStore: (prefix: string) => new PgRateLimitStore(pool, prefix),
    close: async () => {
      clearInterval(pruneTimer);
      await store.close(); // stops the prune timer; the pool is ours, so it does not end it
      await closeWithin(pool.end());
    },
  };
}

// A first read makes connect-pg-simple create its table if it is missing; the login throttle's table
// is created next. Both under advisory locks, so two instances starting at once on an empty database
// don't both try to create them.
async function prepareTable(pool: Pool, store: InstanceType<typeof PgStore>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`connect-pg-simple ${TABLE}`]);
    await new Promise<void>((resolve, reject) => store.get('-', (err) => (err ? reject(err) : resolve())));
    await prepareRateLimitTable(client);
  } finally {
    client.release(true); // closing this connection releases the lock
  }
}
