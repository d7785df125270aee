// The accounts: a `users` table in the same PostgreSQL database as the sessions (DATABASE_URL). Rows
// only; the rules (names, password strength, hashing) live in accounts.ts, which says what each
// method does.
import pg from 'pg';
import type { Pool, QueryResultRow } from 'pg';
import type { UserRow, UserStore } from './accounts.ts';
import { closeWithin, reachStore, STORE_TIMEOUT_MS } from './store-timeout.ts';
import type { ServerStoreConfig } from './store-timeout.ts';

export const TABLE = 'users';

export async function createUserStore(config: ServerStoreConfig): Promise<UserStore> {
  const pool = new pg.Pool({
    connectionString: config.store.url,
    connectionTimeoutMillis: STORE_TIMEOUT_MS,
    query_timeout: STORE_TIMEOUT_MS, // a lookup without an answer fails: the login answers 503
    keepAlive: true,
    max: 4, // logins and the per-request credential check; sessions have a pool of their own
  });
  pool.on('error', (err) => console.error(`user store: a PostgreSQL connection failed (${err.message})`));
  await reachStore(
    config,
    () => createTable(pool),
    () => pool.end(),
  );

  const one = async <T extends QueryResultRow>(text: string, values: unknown[]): Promise<T | null> =>
    (await pool.query<T>(text, values)).rows[0] ?? null;
  return {
    find: (name) =>
      one<UserRow>(`SELECT name, password_hash AS "passwordHash", version FROM ${TABLE} WHERE name = $1`, [name]),
    insert: async (name, passwordHash) =>
      (
        await pool.query(`INSERT INTO ${TABLE} (name, password_hash) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [
          name,
          passwordHash,
        ])
      ).rowCount === 1,
    setPassword: async (name, passwordHash) =>
      (
        await pool.query(`UPDATE ${TABLE} SET password_hash = $1, version = version + 1 WHERE name = $2`, [
          passwordHash,
          name,
        ])
      ).rowCount === 1,
    upgradeHash: async (name, oldHash, newHash) => {
      await pool.query(`UPDATE ${TABLE} SET password_hash = $1 WHERE name = $2 AND password_hash = $3`, [
        newHash,
        name,
        oldHash,
      ]);
    },
    remove: async (name) => (await pool.query(`DELETE FROM ${TABLE} WHERE name = $1`, [name])).rowCount === 1,
    list: async () =>
      (await pool.query<{ name: string }>(`SELECT name FROM ${TABLE} ORDER BY name`)).rows.map((row) => row.name),
    close: () => closeWithin(pool.end()),
  };
}

// CREATE TABLE IF NOT EXISTS is not safe when two instances run it at the same moment (both may
// try to create the row type): an advisory lock lets one go first, as for the session table.
async function createTable(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`users ${TABLE}`]);
    // version: the credential version, raised by every password change; sessions carry it.
    await client.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (
      name text PRIMARY KEY,
      password_hash text NOT NULL,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  } finally {
    client.release(true); // closing this connection releases the lock
  }
}
