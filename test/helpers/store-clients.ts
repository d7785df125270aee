// Looks at a session store DIRECTLY, with the store's own client, never through the app: does a
// session id exist there, and when does the store drop it. One small inspector per store.
//
// What each generated store writes (checked against the generated code by the e2e suite):
//   sqlite    table sessions(sid TEXT PRIMARY KEY, sess TEXT, expires INTEGER ms since epoch)
//   redis     key <prefix><sid> (connect-redis), the TTL set from the cookie's expiry
//   postgres  table session(sid, sess json, expire timestamp) (connect-pg-simple)
//   mysql     table sessions(session_id, expires INT seconds since epoch, data) (express-mysql-session)
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { createClient } from 'redis';
import { COOKIE } from './constants.ts';
import { CookieJar } from './https-client.ts';

export interface SessionRecord {
  exists: boolean;
  /**
   * When the store drops (or stops honouring) the session, in ms since the epoch; undefined when it has no expiry or
   * does not exist.
   */
  expiresAtMs?: number;
}

export interface StoreInspector {
  /** Where a session lives, for messages: "redis key sess:<sid>". */
  where(sid: string): string;
  session(sid: string): Promise<SessionRecord>;
  /** Best-effort cleanup of sessions a test made (the servers are shared). */
  forget(sids: Iterable<string>): Promise<void>;
  close(): Promise<void>;
}

/** The session id inside a signed express-session cookie value (`s:<sid>.<signature>`, URL-encoded). */
export function sessionIdFromCookie(value: string): string {
  const decoded = decodeURIComponent(value);
  const dot = decoded.lastIndexOf('.');
  if (!decoded.startsWith('s:') || dot <= 2) throw new Error(`not a signed session cookie value: ${value}`);
  return decoded.slice(2, dot);
}

/**
 * A cookie jar that adds the session id of every session cookie it is given to `seen`, so that the
 * test's sessions can be deleted from a shared server at the end (a forged value is never stored).
 */
export class SeenJar extends CookieJar {
  constructor(
    private readonly seen: Set<string>,
    initial: Record<string, string> = {},
  ) {
    super(initial);
  }

  override store(setCookies: string[]): void {
    super.store(setCookies);
    const value = this.get(COOKIE);
    if (value) {
      try {
        this.seen.add(sessionIdFromCookie(value));
      } catch {
        // a forged value, never stored
      }
    }
  }

  override clone(): SeenJar {
    return new SeenJar(this.seen, Object.fromEntries(this.cookies));
  }
}

/** The session is gone from the store, or carries an expiry that has passed. */
export async function assertGoneOrExpired(store: Pick<StoreInspector, 'session' | 'where'>, id: string): Promise<void> {
  const record = await store.session(id);
  assert.ok(
    !record.exists || (record.expiresAtMs !== undefined && record.expiresAtMs <= Date.now()),
    `${store.where(id)} should be gone, or carry an expiry that has passed: ${JSON.stringify(record)}`,
  );
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  return name;
}

/**
 * The generated app's SQLite file, opened with the better-sqlite3 the app itself installed (it is
 * native and built for this Node; the tool's own devDependencies don't include it).
 */
export function sqliteInspector(appDir: string, dbPath: string, table = 'sessions'): StoreInspector {
  const require = createRequire(join(appDir, 'package.json'));
  type Db = {
    prepare(sql: string): { get(...args: unknown[]): unknown; run(...args: unknown[]): unknown };
    close(): void;
  };
  const Database = require('better-sqlite3') as new (
    path: string,
    options?: { fileMustExist?: boolean; timeout?: number },
  ) => Db;
  let db: Db | undefined;
  const open = () => (db ??= new Database(dbPath, { fileMustExist: true, timeout: 5000 }));
  const t = identifier(table);
  return {
    where: (sid) => `sqlite ${dbPath} table ${t} row sid=${sid}`,
    async session(sid) {
      const row = open().prepare(`SELECT expires FROM ${t} WHERE sid = ?`).get(sid) as { expires: number } | undefined;
      return row ? { exists: true, expiresAtMs: Number(row.expires) } : { exists: false };
    },
    async forget(sids) {
      const del = open().prepare(`DELETE FROM ${t} WHERE sid = ?`);
      for (const sid of sids) del.run(sid);
    },
    async close() {
      db?.close();
      db = undefined;
    },
  };
}

/** A Redis server; sessions are keys `<prefix><sid>` whose TTL is their expiry. */
export async function redisInspector(url: string, prefix: string): Promise<StoreInspector> {
  const client = createClient({ url, socket: { connectTimeout: 5000, reconnectStrategy: false } });
  client.on('error', () => {}); // surfaced by the failing command instead
  await client.connect();
  return {
    where: (sid) => `redis key ${prefix}${sid}`,
    async session(sid) {
      const key = `${prefix}${sid}`;
      const pttl = await client.pTTL(key);
      if (pttl === -2) return { exists: false };
      return { exists: true, expiresAtMs: pttl === -1 ? undefined : Date.now() + pttl };
    },
    async forget(sids) {
      const keys = [...sids].map((sid) => `${prefix}${sid}`);
      for (let i = 0; i < keys.length; i += 500) await client.del(keys.slice(i, i + 500));
    },
    async close() {
      await client.quit().catch(() => client.destroy());
    },
  };
}

/** PostgreSQL; sessions are rows of `<table>(sid, sess, <expireColumn>)`. */
export async function postgresInspector(
  url: string,
  table = 'session',
  expireColumn = 'expire',
): Promise<StoreInspector> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  await client.connect();
  const t = table.split('.').map(identifier).join('.');
  const e = identifier(expireColumn);
  return {
    where: (sid) => `postgres table ${t} row sid=${sid}`,
    async session(sid) {
      const { rows } = await client.query<{ expire: Date }>(`SELECT ${e} AS expire FROM ${t} WHERE sid = $1`, [sid]);
      const row = rows[0];
      return row ? { exists: true, expiresAtMs: new Date(row.expire).getTime() } : { exists: false };
    },
    async forget(sids) {
      await client.query(`DELETE FROM ${t} WHERE sid = ANY($1)`, [[...sids]]);
    },
    async close() {
      await client.end().catch(() => {});
    },
  };
}

/** MySQL/MariaDB; sessions are rows of `<table>(session_id, expires, data)`, `expires` in seconds since the epoch. */
export async function mysqlInspector(url: string, table = 'sessions'): Promise<StoreInspector> {
  const connection = await mysql.createConnection({ uri: url, connectTimeout: 5000 });
  connection.on('error', () => {});
  const t = identifier(table);
  return {
    where: (sid) => `mysql table ${t} row session_id=${sid}`,
    async session(sid) {
      const [rows] = await connection.query(`SELECT expires FROM ${t} WHERE session_id = ?`, [sid]);
      const row = (rows as Array<{ expires: number | string }>)[0];
      return row ? { exists: true, expiresAtMs: Number(row.expires) * 1000 } : { exists: false };
    },
    async forget(sids) {
      const list = [...sids];
      for (let i = 0; i < list.length; i += 500) {
        const chunk = list.slice(i, i + 500);
        if (chunk.length > 0) await connection.query(`DELETE FROM ${t} WHERE session_id IN (?)`, [chunk]);
      }
    },
    async close() {
      await connection.end().catch(() => connection.destroy());
    },
  };
}
