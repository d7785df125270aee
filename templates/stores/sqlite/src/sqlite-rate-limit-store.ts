// The login throttle's counts (src/login-throttle.ts) in the session file: an express-rate-limit
// store, written here because no maintained one uses better-sqlite3. Each count is one row of
// TABLE; one statement adds a hit and reads the total, so instances sharing the file never race.
import type Database from 'better-sqlite3';
import type { IncrementResponse, Options, Store } from 'express-rate-limit';
const TABLE = 'login_attempts';

/** One count: its hits, and when its window ends (ms since the epoch). */
interface CountRow {
  hits: number;
  reset_at: number;
}

export class SqliteRateLimitStore implements Store {
  declare db: Database.Database;
  declare prefix: string;
  declare windowMs: number;
  declare sql: {
    increment: Database.Statement<[{ key: string; now: number; windowMs: number }], CountRow>;
    decrement: Database.Statement<[string]>;
    resetKey: Database.Statement<[string]>;
    prune: Database.Statement<[number]>;
  };

  constructor(db: Database.Database, prefix: string) {
    this.db = db;
    this.prefix = prefix; // each limiter has its own, so their keys never meet
    db.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (
      key TEXT PRIMARY KEY,
      hits INTEGER NOT NULL,
      reset_at INTEGER NOT NULL -- when the window ends, in ms since the epoch
    )`);
    db.exec(`CREATE INDEX IF NOT EXISTS ${TABLE}_reset_at ON ${TABLE} (reset_at)`);
    this.sql = {
      // a new window once the last one ended; else one more hit in it
      increment: db.prepare(`INSERT INTO ${TABLE} (key, hits, reset_at) VALUES (@key, 1, @now + @windowMs)
        ON CONFLICT (key) DO UPDATE SET
          hits = CASE WHEN reset_at <= @now THEN 1 ELSE hits + 1 END,
          reset_at = CASE WHEN reset_at <= @now THEN excluded.reset_at ELSE reset_at END
        RETURNING hits, reset_at`),
      decrement: db.prepare(`UPDATE ${TABLE} SET hits = hits - 1 WHERE key = ? AND hits > 0`),
      resetKey: db.prepare(`DELETE FROM ${TABLE} WHERE key = ?`),
      prune: db.prepare(`DELETE FROM ${TABLE} WHERE reset_at <= ?`),
    };
  }

  init({ windowMs }: Options): void {
    this.windowMs = windowMs;
  }

  async increment(key: string): Promise<IncrementResponse> {
    const now = Date.now();
    this.sql.prune.run(now); // forget finished windows (found by the index: cheap)
    const row = this.sql.increment.get({ key: this.prefix + key, now, windowMs: this.windowMs })!;
    return { totalHits: row.hits, resetTime: new Date(row.reset_at) };
  }

  async decrement(key: string): Promise<void> {
    this.sql.decrement.run(this.prefix + key);
  }

  async resetKey(key: string): Promise<void> {
    this.sql.resetKey.run(this.prefix + key);
  }
}
