// The login throttle's counts (src/login-throttle.ts) in MySQL or MariaDB: an express-rate-limit
// store, written here because no maintained one exists for MySQL. Each count is one row of TABLE,
// added to and read in one transaction (the INSERT locks the row until COMMIT), so instances
// never race.
import type { IncrementResponse, Options, Store } from 'express-rate-limit';
import type { Pool, RowDataPacket } from 'mysql2';
import type { Pool as PromisePool } from 'mysql2/promise';
export const TABLE = 'login_attempts';

/** One count: its hits, and when its window ends (ms since the epoch; BIGINT comes back as a string). */
interface CountRow extends RowDataPacket {
  hits: number;
  reset_at: number | string;
}

/** Creates the table once (CREATE TABLE IF NOT EXISTS is safe when instances start together). */
export async function prepareRateLimitTable(pool: Pool): Promise<void> {
  await pool.promise().query(
    `CREATE TABLE IF NOT EXISTS ${TABLE} (
    rate_key VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY, -- exact: keys are hashes and ` +
      `addresses
    hits INT NOT NULL,
    reset_at BIGINT NOT NULL, -- when the window ends, in ms since the epoch
    INDEX ${TABLE}_reset_at (reset_at)
  )`,
  );
}

/** Deletes the counts whose window has ended. */
export function pruneRateLimits(pool: Pool): Promise<unknown> {
  return pool.promise().query(`DELETE FROM ${TABLE} WHERE reset_at <= ?`, [Date.now()]);
}

export class MysqlRateLimitStore implements Store {
  declare pool: PromisePool;
  declare prefix: string;
  declare windowMs: number;

  constructor(pool: Pool, prefix: string) {
    this.pool = pool.promise();
    this.prefix = prefix; // each limiter has its own, so their keys never meet
  }

  init({ windowMs }: Options): void {
    this.windowMs = windowMs;
  }

  // a new window once the last one ended; else one more hit in it
  async increment(key: string): Promise<IncrementResponse> {
    const now = Date.now();
    const connection = await this.pool.getConnection();
    try {
      await connection.beginTransaction();
      // hits is assigned first, so both conditions read the old reset_at
      await connection.query(
        `INSERT INTO ${TABLE} (rate_key, hits, reset_at) VALUES (?, 1, ?)
         ON DUPLICATE KEY UPDATE
           hits = IF(reset_at <= ?, 1, hits + 1),
           reset_at = IF(reset_at <= ?, ?, reset_at)`,
        [this.prefix + key, now + this.windowMs, now, now, now + this.windowMs],
      );
      const [rows] = await connection.query<CountRow[]>(`SELECT hits, reset_at FROM ${TABLE} WHERE rate_key = ?`, [
        this.prefix + key,
      ]);
      await connection.commit();
      return { totalHits: rows[0]!.hits, resetTime: new Date(Number(rows[0]!.reset_at)) };
    } catch (err) {
      await connection.rollback().catch(() => {});
      throw err;
    } finally {
      connection.release();
    }
  }

  async decrement(key: string): Promise<void> {
    await this.pool.query(`UPDATE ${TABLE} SET hits = hits - 1 WHERE rate_key = ? AND hits > 0`, [this.prefix + key]);
  }

  async resetKey(key: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${TABLE} WHERE rate_key = ?`, [this.prefix + key]);
  }
}
