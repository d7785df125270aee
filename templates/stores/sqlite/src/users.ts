// The accounts: a `users` table in the same SQLite file as the sessions. Rows only; the rules
// (names, password strength, hashing) live in accounts.ts. See accounts.ts for what each method does.
import type Database from 'better-sqlite3';
import type { UserRow, UserStore } from './accounts.ts';
import { openDatabase } from './sqlite-file.ts';
import type { SqliteConfig } from './store.ts';

export const TABLE = 'users';

export async function createUserStore(config: SqliteConfig): Promise<UserStore> {
  const path = config.store.url;
  let db: Database.Database | undefined;
  try {
    db = openDatabase(path); // readable by this user only
    // version: the credential version, raised by every password change; sessions carry it.
    db.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (
      name TEXT PRIMARY KEY,
      password_hash TEXT NOT NULL,
      version INTEGER NOT NULL DEFAULT 1,
      created_at INTEGER NOT NULL
    )`);
  } catch (err) {
    db?.close();
    throw new Error(
      `cannot open the user store at ${path} (${(err as Error).message}); check ${config.store.variable}`,
    );
  }
  const sql = {
    find: db.prepare<[string], UserRow>(
      `SELECT name, password_hash AS passwordHash, version FROM ${TABLE} WHERE name = ?`,
    ),
    insert: db.prepare(
      `INSERT INTO ${TABLE} (name, password_hash, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING`,
    ),
    setPassword: db.prepare(`UPDATE ${TABLE} SET password_hash = ?, version = version + 1 WHERE name = ?`),
    upgradeHash: db.prepare(`UPDATE ${TABLE} SET password_hash = ? WHERE name = ? AND password_hash = ?`),
    remove: db.prepare(`DELETE FROM ${TABLE} WHERE name = ?`),
    list: db.prepare<[], { name: string }>(`SELECT name FROM ${TABLE} ORDER BY name`),
  };
  return {
    find: async (name) => sql.find.get(name) ?? null,
    insert: async (name, passwordHash) => sql.insert.run(name, passwordHash, Date.now()).changes === 1,
    setPassword: async (name, passwordHash) => sql.setPassword.run(passwordHash, name).changes === 1,
    upgradeHash: async (name, oldHash, newHash) => {
      sql.upgradeHash.run(newHash, name, oldHash);
    },
    remove: async (name) => sql.remove.run(name).changes === 1,
    list: async () => sql.list.all().map((row) => row.name),
    close: async () => db.close(),
  };
}
