// The stores the benchmark runs, and where each one lives on this machine: the same servers the
// test suite uses, from its one table (test/helpers/store-servers.ts).
import { join } from 'node:path';
import type { AppEnv } from '../test/helpers/app-process.ts';
import { STORE_SERVERS } from '../test/helpers/store-servers.ts';

export interface BenchStore {
  id: string;
  flags: string[];
  /** The app's environment for this store; `root` is a temp dir for files. */
  env: (root: string) => AppEnv;
}

const REDIS = STORE_SERVERS.redis.url();
const POSTGRES = STORE_SERVERS.postgres.url();
const MYSQL = STORE_SERVERS.mysql.url();

export const BENCH_STORES: BenchStore[] = [
  { id: 'sqlite', flags: [], env: (root) => ({ SQLITE_PATH: join(root, 'sessions.db') }) },
  { id: 'redis', flags: ['--store-url', REDIS], env: () => ({ REDIS_URL: REDIS }) },
  { id: 'postgres', flags: ['--store-url', POSTGRES], env: () => ({ DATABASE_URL: POSTGRES }) },
  { id: 'mysql', flags: ['--store-url', MYSQL], env: () => ({ DATABASE_URL: MYSQL }) },
];
