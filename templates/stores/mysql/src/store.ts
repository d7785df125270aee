// The session store: MySQL or MariaDB (DATABASE_URL). Each session is a row of the table TABLE:
// session_id, expires (when the cookie expires, in Unix seconds) and data (the session as JSON).
import createMySQLStore from 'express-mysql-session';
import session from 'express-session';
import mysql from 'mysql2';
import { MysqlRateLimitStore, prepareRateLimitTable, pruneRateLimits } from './mysql-rate-limit-store.ts';
import { closeWithin, reachStore, STORE_TIMEOUT_MS, withCallTimeouts, withTimeout } from './store-timeout.ts';
import type { ServerStoreConfig } from './store-timeout.ts';

const MySQLStore = createMySQLStore(session);
export const TABLE = 'sessions';
const CLEAR_EXPIRED_EVERY_MS = 15 * 60 * 1000;

export async function createSessionStore(config: ServerStoreConfig) {
  const pool = mysql.createPool({
    uri: config.store.url, // user, password, database; ?ssl={} for TLS
    connectTimeout: STORE_TIMEOUT_MS, // a new connection must be ready within this time
    enableKeepAlive: true, // TCP keepalive, so a connection to a vanished server is noticed
    connectionLimit: 10,
  });
  const store = new MySQLStore(
    {
      createDatabaseTable: true, // CREATE TABLE IF NOT EXISTS at start
      // Expired sessions are never handed out (get() checks `expires`), and the timer below deletes
      // them. The store's own timer is off: when the database is down it leaves a rejected promise
      // unhandled, and Node stops the app on one.
      clearExpired: false,
      schema: { tableName: TABLE },
    },
    pool,
  );
  const ready = store.onReady(); // asked at once: the table is being created already
  await reachStore(
    config,
    () => ready.then(() => prepareRateLimitTable(pool)),
    () => pool.end(),
  );

  const clearExpired = () => {
    store.clearExpiredSessions().catch((err) => {
      console.error(`session store: could not delete expired sessions (${err.message})`);
    });
    // and the login throttle's finished windows
    pruneRateLimits(pool).catch((err) =>
      console.error(`session store: could not delete old login counts (${err.message})`),
    );
  };
  const timer = setInterval(clearExpired, CLEAR_EXPIRED_EVERY_MS);
  timer.unref(); // never keep the process alive just to clean up
  return {
    store: withCallTimeouts(store),
    ping: () => withTimeout(pool.promise().query('SELECT 1')), // GET /health
    // the login throttle's counts, in the table login_attempts: every instance shares them
    rateLimitStore: (prefix: string) => new MysqlRateLimitStore(pool, prefix),
    close: async () => {
      clearInterval(timer);
      await store.close(); // the pool is ours, so the store does not end it
      await closeWithin(pool.promise().end());
    },
  };
}
