// A deployment's session store looked at directly, with the store's own client, never through the
// app: which sessions exist, when they expire, what the accounts hold. And the login throttle's
// counts on a shared server, forgotten between runs.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { createClient } from 'redis';
import type { SecuritySetup } from './security-setups.ts';
import {
  mysqlInspector,
  postgresInspector,
  redisInspector,
  sqliteInspector,
  type SessionRecord,
  type StoreInspector,
} from './store-clients.ts';

/** A session store looked at directly with its own client, never through the app. */
export interface StoreProbe {
  where(sid: string): string;
  exists(sid: string): Promise<boolean>;
  /** The stored session's expiry, as the store keeps it. */
  session(sid: string): Promise<SessionRecord>;
  /** Every session id in the store now (of every app sharing the server: compare before and after). */
  ids(): Promise<Set<string>>;
  forget(sids: Iterable<string>): Promise<void>;
  /**
   * The accounts as stored (name → the stored password string), and everything the app keeps in the
   * store (accounts and sessions, as text or the database file's bytes), to search for a plaintext.
   */
  accounts(): Promise<{ hashes: Map<string, string>; everything: string }>;
  close(): Promise<void>;
}

export async function storeProbe(
  store: SecuritySetup['store'],
  o: { appDir: string; appName: string; url: string },
): Promise<StoreProbe> {
  let inspector: StoreInspector;
  let ids: () => Promise<Set<string>>;
  let accounts: StoreProbe['accounts'];
  let closeLister: () => Promise<void>;
  const hashesOf = (rows: Array<{ name: string; password_hash: string }>) =>
    new Map(rows.map((r) => [r.name, r.password_hash]));
  switch (store) {
    case 'sqlite': {
      inspector = sqliteInspector(o.appDir, o.url, 'sessions');
      const require = createRequire(join(o.appDir, 'package.json'));
      type Db = { prepare(sql: string): { all(): unknown[] }; close(): void };
      const Database = require('better-sqlite3') as new (
        path: string,
        options?: { fileMustExist?: boolean; timeout?: number },
      ) => Db;
      let db: Db | undefined;
      ids = async () => {
        db ??= new Database(o.url, { fileMustExist: true, timeout: 5000 });
        return new Set((db.prepare('SELECT sid FROM sessions').all() as Array<{ sid: string }>).map((r) => r.sid));
      };
      accounts = async () => {
        db ??= new Database(o.url, { fileMustExist: true, timeout: 5000 });
        const hashes = hashesOf(
          db.prepare('SELECT name, password_hash FROM users').all() as Array<{ name: string; password_hash: string }>,
        );
        // the file's own bytes, and its write-ahead log, where recent writes are until a checkpoint
        const files = [o.url, `${o.url}-wal`]
          .filter((f) => existsSync(f))
          .map((f) => readFileSync(f).toString('latin1'));
        return { hashes, everything: files.join('') };
      };
      closeLister = async () => db?.close();
      break;
    }
    case 'redis': {
      const prefix = `${o.appName}:sess:`;
      inspector = await redisInspector(o.url, prefix);
      const redis = createClient({ url: o.url, socket: { connectTimeout: 5000, reconnectStrategy: false } });
      redis.on('error', () => {});
      await redis.connect();
      ids = async () => {
        const found = new Set<string>();
        for await (const batch of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
          for (const key of ([] as string[]).concat(batch as string | string[])) found.add(key.slice(prefix.length));
        }
        return found;
      };
      accounts = async () => {
        const stored = await redis.hGetAll(`${o.appName}:users`);
        const hashes = new Map(
          Object.entries(stored).map(([name, value]) => [
            name,
            (JSON.parse(value) as { passwordHash: string }).passwordHash,
          ]),
        );
        const sessions: string[] = [];
        for await (const batch of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
          for (const key of ([] as string[]).concat(batch as string | string[]))
            sessions.push(String(await redis.get(key)));
        }
        return { hashes, everything: [...Object.entries(stored).flat(), ...sessions].join('\n') };
      };
      closeLister = async () => void (await redis.quit().catch(() => redis.destroy()));
      break;
    }
    case 'postgres': {
      inspector = await postgresInspector(o.url, 'session', 'expire');
      const pgClient = new pg.Client({ connectionString: o.url, connectionTimeoutMillis: 5000 });
      pgClient.on('error', () => {});
      await pgClient.connect();
      ids = async () =>
        new Set((await pgClient.query<{ sid: string }>('SELECT sid FROM session')).rows.map((r) => r.sid));
      accounts = async () => {
        const users = (
          await pgClient.query<{ name: string; password_hash: string }>('SELECT name, password_hash FROM users')
        ).rows;
        const sessions = (await pgClient.query<{ sess: string }>('SELECT sess::text AS sess FROM session')).rows.map(
          (r) => r.sess,
        );
        return {
          hashes: hashesOf(users),
          everything: [...users.flatMap((u) => [u.name, u.password_hash]), ...sessions].join('\n'),
        };
      };
      closeLister = async () => pgClient.end().catch(() => {});
      break;
    }
    case 'mysql': {
      inspector = await mysqlInspector(o.url, 'sessions');
      const connection = await mysql.createConnection({ uri: o.url, connectTimeout: 5000 });
      connection.on('error', () => {});
      ids = async () => {
        const [rows] = await connection.query('SELECT session_id FROM sessions');
        return new Set((rows as Array<{ session_id: string }>).map((r) => r.session_id));
      };
      accounts = async () => {
        const [users] = await connection.query('SELECT name, password_hash FROM users');
        const [sessions] = await connection.query('SELECT data FROM sessions');
        const rows = users as Array<{ name: string; password_hash: string }>;
        const everything = [
          ...rows.flatMap((u) => [u.name, u.password_hash]),
          ...(sessions as Array<{ data: string }>).map((r) => String(r.data)),
        ];
        return { hashes: hashesOf(rows), everything: everything.join('\n') };
      };
      closeLister = async () => connection.end().catch(() => connection.destroy());
      break;
    }
  }
  return {
    where: (sid) => inspector.where(sid),
    exists: async (sid) => (await inspector.session(sid)).exists,
    session: (sid) => inspector.session(sid),
    ids,
    forget: (sids) => inspector.forget(sids),
    accounts: () => accounts(),
    close: async () => {
      await closeLister();
      await inspector.close();
    },
  };
}

/**
 * Forgets the login throttle's counts on a shared server (src/login-throttle.js), before and after a
 * deployment, so one run's failed logins never throttle the next run's clients: Redis keys under each
 * app's `<name>:rl:`, the rows of the table login_attempts (in the run's own database: scratch-stores.ts).
 */
export async function clearLoginCounts(store: SecuritySetup['store'], url: string, appNames: string[]): Promise<void> {
  switch (store) {
    case 'sqlite':
      return; // a new file for every deployment
    case 'redis': {
      const redis = createClient({ url, socket: { connectTimeout: 5000, reconnectStrategy: false } });
      redis.on('error', () => {});
      await redis.connect();
      try {
        for (const name of appNames) {
          for await (const batch of redis.scanIterator({ MATCH: `${name}:rl:*`, COUNT: 1000 })) {
            const keys = ([] as string[]).concat(batch as string | string[]);
            if (keys.length > 0) await redis.del(keys);
          }
        }
      } finally {
        await redis.quit().catch(() => redis.destroy());
      }
      return;
    }
    case 'postgres': {
      const pgClient = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
      await pgClient.connect();
      try {
        if ((await pgClient.query("SELECT to_regclass('login_attempts') AS t")).rows[0].t !== null)
          await pgClient.query('DELETE FROM login_attempts');
      } finally {
        await pgClient.end().catch(() => {});
      }
      return;
    }
    case 'mysql': {
      const connection = await mysql.createConnection({ uri: url, connectTimeout: 5000 });
      try {
        await connection.query('DELETE FROM login_attempts').catch((error: { code?: string }) => {
          if (error.code !== 'ER_NO_SUCH_TABLE') throw error;
        });
      } finally {
        await connection.end().catch(() => connection.destroy());
      }
      return;
    }
  }
}
