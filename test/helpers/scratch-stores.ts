// A store of each kind that belongs to one test run alone: the servers (Redis, PostgreSQL, MariaDB
// on 127.0.0.1) are shared with other suites, so each run gets its own database or key prefix and
// removes it afterwards.
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { createClient } from 'redis';
import type { AppEnv } from './app-process.ts';
import { serverDown, STORE_SERVERS, type ServerStoreId, type StoreServer } from './store-servers.ts';

/**
 * This test process's mark, in the names of its databases and generated apps: two runs at once (two
 * developers, another project's tests) never share a table or a Redis key (the app's package name
 * is its Redis prefix).
 */
export const RUN_ID = randomBytes(3).toString('hex');

/** A generated app's package name no other run uses: `base` with this run's mark. */
export const runAppName = (base: string): string => `${base}-${RUN_ID}`;

/** A database of this run alone on a SQL server, and its removal (also when a test failed). */
export interface ScratchDatabase {
  /** Its name, in every URL of the run: the apps', the probes', the outage tests' (another port, a password). */
  database: string;
  remove(): Promise<void>;
}

/** Creates (emptied first, should an earlier run with this tag have left it) the database `cssa_<tag>`. */
export async function scratchDatabase(store: Exclude<ServerStoreId, 'redis'>, tag: string): Promise<ScratchDatabase> {
  const database = `cssa_${tag}`;
  if (!/^cssa_\w+$/.test(database)) throw new Error(`not a database name for a test run: ${database}`);
  if (store === 'postgres') {
    const admin = () => new pg.Client(STORE_SERVERS.postgres.url());
    await sqlOnce(admin(), (c) =>
      c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).then(() => c.query(`CREATE DATABASE ${database}`)),
    );
    return {
      database,
      remove: () => sqlOnce(admin(), (c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)),
    };
  }
  const run = async (...sql: string[]) => {
    const c = await mysql.createConnection(STORE_SERVERS.mysql.url());
    try {
      for (const statement of sql) await c.query(statement);
    } finally {
      await c.end();
    }
  };
  await run(`DROP DATABASE IF EXISTS ${database}`, `CREATE DATABASE ${database}`);
  return { database, remove: () => run(`DROP DATABASE IF EXISTS ${database}`) };
}

/**
 * This run's place on a server for the apps `appNames`: its own database on a SQL server (its name
 * goes in every URL), its apps' own key prefixes on Redis; `remove` takes either away.
 */
export async function runStorePlace(
  store: ServerStoreId,
  tag: string,
  appNames: string[],
): Promise<{ database?: string; remove(): Promise<void> }> {
  if (store !== 'redis') return scratchDatabase(store, tag);
  const url = STORE_SERVERS.redis.url();
  await removeAppKeys(url, appNames); // should an earlier run with these names have left some
  return { remove: () => removeAppKeys(url, appNames) };
}

/** Deletes every Redis key of the apps `appNames` (`<name>:*`: sessions, accounts, login counts). */
export async function removeAppKeys(url: string, appNames: string[]): Promise<void> {
  const client = createClient({ url, socket: { connectTimeout: 5000, reconnectStrategy: false } });
  client.on('error', () => {});
  await client.connect();
  try {
    for (const name of appNames) {
      for await (const batch of client.scanIterator({ MATCH: `${name}:*`, COUNT: 1000 })) {
        const keys = ([] as string[]).concat(batch as string | string[]);
        if (keys.length > 0) await client.del(keys);
      }
    }
  } finally {
    await client.quit().catch(() => client.destroy());
  }
}

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
   * (the Redis key prefix is `<appName>:sess:`, the accounts `<appName>:users`). SQLite keeps its
   * default file inside the app.
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
        remove: () => removeAppKeys(url, [appName]),
      };
    },
  },
  {
    id: 'postgres',
    server: STORE_SERVERS.postgres,
    async create({ tag }) {
      const { database, remove } = await scratchDatabase('postgres', tag);
      const url = STORE_SERVERS.postgres.url({ database });
      return { flags: ['--store', 'postgres', '--store-url', url], env: { DATABASE_URL: url }, remove };
    },
  },
  {
    id: 'mysql',
    server: STORE_SERVERS.mysql,
    async create({ tag }) {
      const { database, remove } = await scratchDatabase('mysql', tag);
      const url = STORE_SERVERS.mysql.url({ database });
      return { flags: ['--store', 'mysql', '--store-url', url], env: { DATABASE_URL: url }, remove };
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
