// A small express-session store on one SQLite file: sessions survive a restart, and the code
// is short enough to read. One machine only: SQLite is not shared between hosts.
import session from 'express-session';
import { openDatabase } from './sqlite-file.js';

const PRUNE_EVERY_MS = 15 * 60 * 1000;
const DEFAULT_LIFETIME_MS = 24 * 60 * 60 * 1000; // only for sessions whose cookie has no maxAge

export class SqliteStore extends session.Store {
  constructor({ path, pruneEveryMs = PRUNE_EVERY_MS }) {
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

  get(sid, callback) {
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

  set(sid, sess, callback) {
    this.#run(callback, () => {
      this.sql.set.run(sid, JSON.stringify(sess), expiresAt(sess));
    });
  }

  touch(sid, sess, callback) {
    this.#run(callback, () => {
      this.sql.touch.run(expiresAt(sess), sid);
    });
  }

  destroy(sid, callback) {
    this.#run(callback, () => {
      this.sql.destroy.run(sid);
    });
  }

  clear(callback) {
    this.#run(callback, () => {
      this.sql.clear.run();
    });
  }

  length(callback) {
    this.#run(callback, () => this.sql.length.get(Date.now()).n);
  }

  all(callback) {
    this.#run(callback, () =>
      Object.fromEntries(this.sql.all.all(Date.now()).map((row) => [row.sid, JSON.parse(row.sess)])),
    );
  }

  prune() {
    this.sql.prune.run(Date.now());
  }

  ping() {
    this.db.prepare('SELECT 1').get(); // throws if the database is closed or unreadable
  }

  close() {
    clearInterval(this.pruneTimer);
    this.db.close();
  }

  // better-sqlite3 is synchronous; express-session expects callbacks, errors included.
  #run(callback, work) {
    let result;
    try {
      result = work();
    } catch (err) {
      return callback?.(err);
    }
    callback?.(null, result);
  }
}

// When the session ends, in ms since the epoch: the cookie's expiry, else now + maxAge.
function expiresAt(sess) {
  const expires = sess.cookie?.expires;
  if (expires) return new Date(expires).getTime();
  return Date.now() + (sess.cookie?.maxAge ?? DEFAULT_LIFETIME_MS);
}
