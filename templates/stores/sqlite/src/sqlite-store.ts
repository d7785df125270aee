// A small express-session store on one SQLite file: sessions survive a restart, and the code
// is short enough to read. One machine only: SQLite is not shared between hosts.
import session from 'express-session';
import type { SessionData } from 'express-session';
import type Database from 'better-sqlite3';
import { openDatabase } from './sqlite-file.ts';

const PRUNE_EVERY_MS = 15 * 60 * 1000;
const DEFAULT_LIFETIME_MS = 24 * 60 * 60 * 1000; // only for sessions whose cookie has no maxAge

type Callback<T> = (err: unknown, result?: T) => void;

export class SqliteStore extends session.Store {
  declare db: Database.Database;
  declare sql: {
    get: Database.Statement<[string], { sess: string; expires: number }>;
    set: Database.Statement<[string, string, number]>;
    touch: Database.Statement<[number, string]>;
    destroy: Database.Statement<[string]>;
    clear: Database.Statement<[]>;
    length: Database.Statement<[number], { n: number }>;
    all: Database.Statement<[number], { sid: string; sess: string }>;
    prune: Database.Statement<[number]>;
  };
  declare pruneTimer: NodeJS.Timeout;

  constructor({ path, pruneEveryMs = PRUNE_EVERY_MS }: { path: string; pruneEveryMs?: number }) {
    super();
    this.db = openDatabase(path); // readable by this user only
    this.db.exec(`CREATE TABLE IF NOT EXISTS sessions (
      sid TEXT PRIMARY KEY,
      sess TEXT NOT NULL,
      expires INTEGER NOT NULL
    )`);
    this.db.exec('CREATE INDEX IF NOT EXISTS sessions_expires ON sessions (expires)');
    this.sql = {
      get: this.db.prepare('SELECT sess, expires FROM sessions WHERE sid = ?'),
      set: this.db.prepare(`INSERT INTO sessions (sid, sess, expires) VALUES (?, ?, ?)
        ON CONFLICT (sid) DO UPDATE SET sess = excluded.sess, expires = excluded.expires`),
      touch: this.db.prepare('UPDATE sessions SET expires = ? WHERE sid = ?'),
      destroy: this.db.prepare('DELETE FROM sessions WHERE sid = ?'),
      clear: this.db.prepare('DELETE FROM sessions'),
      length: this.db.prepare('SELECT COUNT(*) AS n FROM sessions WHERE expires > ?'),
      all: this.db.prepare('SELECT sid, sess FROM sessions WHERE expires > ?'),
      prune: this.db.prepare('DELETE FROM sessions WHERE expires <= ?'),
    };
    this.pruneTimer = setInterval(() => this.prune(), pruneEveryMs);
    this.pruneTimer.unref(); // never keep the process alive just to prune
  }

  override get(sid: string, callback: Callback<SessionData | null>): void {
    this.#run(callback, () => {
      const row = this.sql.get.get(sid);
      if (!row) return null;
      if (row.expires <= Date.now()) {
        this.sql.destroy.run(sid); // expired: never hand it back
        return null;
      }
      return JSON.parse(row.sess);
    });
  }

  override set(sid: string, sess: SessionData, callback?: Callback<void>): void {
    this.#run(callback, () => {
      this.sql.set.run(sid, JSON.stringify(sess), expiresAt(sess));
    });
  }

  override touch(sid: string, sess: SessionData, callback?: Callback<void>): void {
    this.#run(callback, () => {
      this.sql.touch.run(expiresAt(sess), sid);
    });
  }

  override destroy(sid: string, callback?: Callback<void>): void {
    this.#run(callback, () => {
      this.sql.destroy.run(sid);
    });
  }

  override clear(callback?: Callback<void>): void {
    this.#run(callback, () => {
      this.sql.clear.run();
    });
  }

  override length(callback: Callback<number>): void {
    this.#run(callback, () => this.sql.length.get(Date.now())!.n);
  }

  override all(callback: Callback<Record<string, SessionData>>): void {
    this.#run(callback, () =>
      Object.fromEntries(this.sql.all.all(Date.now()).map((row) => [row.sid, JSON.parse(row.sess)])),
    );
  }

  prune(): void {
    this.sql.prune.run(Date.now());
  }

  ping(): void {
    this.db.prepare('SELECT 1').get(); // throws if the database is closed or unreadable
  }

  close(): void {
    clearInterval(this.pruneTimer);
    this.db.close();
  }

  // better-sqlite3 is synchronous; express-session expects callbacks, errors included.
  #run<T>(callback: Callback<T> | undefined, work: () => T): void {
    let result: T;
    try {
      result = work();
    } catch (err) {
      return callback?.(err);
    }
    callback?.(null, result);
  }
}

// When the session ends, in ms since the epoch: the cookie's expiry, else now + maxAge.
function expiresAt(sess: SessionData): number {
  const expires = sess.cookie?.expires;
  if (expires) return new Date(expires).getTime();
  return Date.now() + (sess.cookie?.maxAge ?? DEFAULT_LIFETIME_MS);
}
