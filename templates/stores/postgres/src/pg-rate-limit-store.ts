// The login throttle's counts (src/login-throttle.ts) in PostgreSQL: an express-rate-limit store,
// written here rather than taken from @acpr/rate-limit-postgresql, which opens a pool of its own
// (from separate settings, with a pinned older pg and none of our deadlines or error handling) and
// runs its own migrations. Each count is one row of TABLE; one statement adds a hit and reads the
// total (INSERT … ON CONFLICT locks the row), so instances never race.
import type { IncrementResponse, Options, Store } from 'express-rate-limit';
import type { Pool, PoolClient } from 'pg';
export const TABLE = 'login_attempts';

/** Creates the table once; run under an advisory lock, so instances starting together don't collide. */
export async function prepareRateLimitTable(client: PoolClient): Promise<void> {
  await client.query('SELECT pg_advisory_lock(hashtext($1))', [`rate limit ${TABLE}`]);
  await client.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (
    key text PRIMARY KEY,
    hits integer NOT NULL,
    reset_at bigint NOT NULL -- when the window ends, in ms since the epoch
  )`);
  await client.query(`CREATE INDEX IF NOT EXISTS ${TABLE}_reset_at ON ${TABLE} (reset_at)`);
}

/** Deletes the counts whose window has ended. */
export function pruneRateLimits(pool: Pool): Promise<unknown> {
  return pool.query(`DELETE FROM ${TABLE} WHERE reset_at <= $1`, [Date.now()]);
}

export class PgRateLimitStore implements Store {
  declare pool: Pool;
  declare prefix: string;
  declare windowMs: number;

  constructor(pool: Pool, prefix: string) {
    this.pool = pool;
    this.prefix = prefix; // each limiter has its own, so their keys never meet
  }

  init({ windowMs }: Options): void {
    this.windowMs = windowMs;
  }

  // a new window once the last one ended; else one more hit in it
  async increment(key: string): Promise<IncrementResponse> {
    const now = Date.now();
    const { rows } = await this.pool.query<{ hits: number; reset_at: string }>(
      `INSERT INTO ${TABLE} AS t (key, hits, reset_at) VALUES ($1, 1, $2::bigint + $3::bigint)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN t.reset_at <= $2 THEN 1 ELSE t.hits + 1 END,
         reset_at = CASE WHEN t.reset_at <= $2 THEN excluded.reset_at ELSE t.reset_at END
       RETURNING hits, reset_at`,
      [this.prefix + key, now, this.windowMs],
    );
    return { totalHits: rows[0]!.hits, resetTime: new Date(Number(rows[0]!.reset_at)) };
  }

  async decrement(key: string): Promise<void> {
    await this.pool.query(`UPDATE ${TABLE} SET hits = hits - 1 WHERE key = $1 AND hits > 0`, [this.prefix + key]);
  }

  async resetKey(key: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${TABLE} WHERE key = $1`, [this.prefix + key]);
  }
}
