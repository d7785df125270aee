// The accounts: a `users` table in the same MySQL/MariaDB database as the sessions (DATABASE_URL).
// Rows only; the rules (names, password strength, hashing) live in accounts.ts, which says what each
// method does.
import mysql from 'mysql2';
import type { QueryResult, ResultSetHeader, RowDataPacket } from 'mysql2';
import type { UserRow, UserStore } from './accounts.ts';
import { closeWithin, reachStore, STORE_TIMEOUT_MS, withTimeout } from './store-timeout.ts';
import type { ServerStoreConfig } from './store-timeout.ts';

export const TABLE = 'users';

export async function createUserStore(config: ServerStoreConfig): Promise<UserStore> {
  const pool = mysql
    .createPool({
      uri: config.store.url,
      connectTimeout: STORE_TIMEOUT_MS,
      enableKeepAlive: true,
      connectionLimit: 4, // logins and the per-request credential check; sessions have a pool of their own
    })
    .promise();
  // MySQL takes a metadata lock for CREATE TABLE, so instances starting at once are safe. Names are
  // ASCII (accounts.ts) and compared byte for byte: "Ada" and "ada" are never the same row by accident.
  // version: the credential version, raised by every password change; sessions carry it.
  await reachStore(
    config,
    () =>
      pool.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (
    name VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    password_hash VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    version INT UNSIGNED NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
  )`),
    () => pool.end(),
  );

  // Every query gets the store's deadline: a lookup without an answer makes the login a 503.
  const run = <T extends QueryResult>(text: string, values?: unknown[]) =>
    withTimeout(pool.query<T>(text, values)).then(([result]) => result);
  return {
    find: async (name) =>
      (
        await run<(UserRow & RowDataPacket)[]>(
          `SELECT name, password_hash AS passwordHash, version FROM ${TABLE} WHERE name = ?`,
          [name],
        )
      )[0] ?? null,
    insert: async (name, passwordHash) => {
      try {
        await run(`INSERT INTO ${TABLE} (name, password_hash) VALUES (?, ?)`, [name, passwordHash]);
        return true;
      } catch (err) {
        if ((err as { code?: string }).code === 'ER_DUP_ENTRY') return false; // the name exists already
        throw err;
      }
    },
    setPassword: async (name, passwordHash) =>
      (
        await run<ResultSetHeader>(`UPDATE ${TABLE} SET password_hash = ?, version = version + 1 WHERE name = ?`, [
          passwordHash,
          name,
        ])
      ).affectedRows === 1,
    upgradeHash: async (name, oldHash, newHash) => {
      await run(`UPDATE ${TABLE} SET password_hash = ? WHERE name = ? AND password_hash = ?`, [newHash, name, oldHash]);
    },
    remove: async (name) =>
      (await run<ResultSetHeader>(`DELETE FROM ${TABLE} WHERE name = ?`, [name])).affectedRows === 1,
    list: async () =>
      (await run<({ name: string } & RowDataPacket)[]>(`SELECT name FROM ${TABLE} ORDER BY name`)).map(
        (row) => row.name,
      ),
    close: () => closeWithin(pool.end()),
  };
}
