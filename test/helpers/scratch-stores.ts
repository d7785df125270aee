// A store of each kind that belongs to one test run alone: the servers (Redis, PostgreSQL, MariaDB
// on 127.0.0.1) are shared with other suites, so each run gets its own database or key prefix and
// removes it afterwards.
import mysql from 'mysql2/promise';
import pg from 'pg';
import { createClient } from 'redis';
import type { AppEnv } from './app-process.ts';
import { serverDown, STORE_SERVERS, type StoreServer } from './store-servers.ts';

export interface ScratchStore {
  /** The CLI flags that generate an app on this store. */
  flags: string[];
  /** The app's environment for it. */
  env: AppEnv;
  /** Removes what the app wrote (the database, the keys); safe to call twice. */
  remove(): Promise<void>;
}

export interface ScratchStoreKind {
  id: 'sqlite' | 'redis' | 'postgres' | 'mysql' | 'memory';
  /** The server it needs on 127.0.0.1, if any. */
  server?: StoreServer;
  /**
   * `tag` names this run's database (letters, digits, _); `appName` is the generated package name
   * (the Redis key prefix is `<appName>:sess:`, the accounts `<appName>:users`). SQLite keeps its default file inside the app.
   */
  create(o: { tag: string; appName: string }): Promise<ScratchStore>;
}

const nothing = async () => {};

export const SCRATCH_STORES: readonly ScratchStoreKind[] = [
  {
    id: 'sqlite',
    create: async () => ({ flags: [], env: {}, remove: nothing }),
  },
  {
    id: 'redis',
    server: STORE_SERVERS.redis,
    async create({ appName }) {
      const url = STORE_SERVERS.redis.url();
      return {
        flags: ['--store', 'redis', '--store-url', url],
        env: { REDIS_URL: url },
        async remove() {
          const client = await createClient({ url }).connect();
          try {
            for await (const keys of client.scanIterator({ MATCH: `${appName}:sess:*`, COUNT: 1000 }))
              if (keys.length) await client.del(keys);
            await client.del(`${appName}:users`); // the accounts (src/users.js)
          } finally {
            client.destroy();
          }
        },
      };
    },
  },
  {
    id: 'postgres',
    server: STORE_SERVERS.postgres,
    async create({ tag }) {
      const admin = STORE_SERVERS.postgres.url();
      const database = `cssa_${tag}`;
      await sqlOnce(new pg.Client(admin), (c) =>
        c.query(`DROP DATABASE IF EXISTS ${database}`).then(() => c.query(`CREATE DATABASE ${database}`)),
      );
      const url = STORE_SERVERS.postgres.url({ database });
      return {
        flags: ['--store', 'postgres', '--store-url', url],
        env: { DATABASE_URL: url },
        remove: () => sqlOnce(new pg.Client(admin), (c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)),
      };
    },
  },
  {
    id: 'mysql',
    server: STORE_SERVERS.mysql,
    async create({ tag }) {
      const admin = STORE_SERVERS.mysql.url();
      const database = `cssa_${tag}`;
      const run = async (sql: string) => {
        const c = await mysql.createConnection(admin);
        try {
          await c.query(sql);
        } finally {
          await c.end();
        }
      };
      await run(`CREATE DATABASE IF NOT EXISTS ${database}`);
      const url = STORE_SERVERS.mysql.url({ database });
      return {
        flags: ['--store', 'mysql', '--store-url', url],
        env: { DATABASE_URL: url },
        remove: () => run(`DROP DATABASE IF EXISTS ${database}`),
      };
    },
  },
  {
    id: 'memory',
    create: async () => ({ flags: ['--store', 'memory'], env: { ALLOW_MEMORY_STORE: '1' }, remove: nothing }),
  },
];

async function sqlOnce(client: pg.Client, work: (c: pg.Client) => Promise<unknown>): Promise<void> {
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

/** Why the store's server cannot be used, or false. */
export function serverMissing(kind: ScratchStoreKind): Promise<string | false> {
  return serverDown(kind.server);
}
