// The stores of the store suite (test/e2e/stores.test.ts): every store the CLI offers but memory,
// how the app is pointed at it, and how the suite looks at it directly. Adding a store is one entry.
import { join } from 'node:path';
import {
  mysqlInspector,
  postgresInspector,
  redisInspector,
  sqliteInspector,
  type StoreInspector,
} from '../store-clients.ts';
import { STORE_SERVERS, type StoreServer } from '../store-servers.ts';

export interface StoreCase {
  id: 'sqlite' | StoreServer['store'];
  /** The real server; absent for a store without one (sqlite: a file on this machine). */
  server?: StoreServer;
  /**
   * What the app is given as --store-url and in its URL variable: a file in `dataDir` (sqlite), or
   * a URL to 127.0.0.1:`port` (the forwarder's, or the real server's), with `password` when given,
   * to the run's own `database` on a SQL server (the shared servers' `test` is other suites').
   */
  url(o: { dataDir: string; port: number; password?: string; database?: string }): string;
  /**
   * A client that looks at the store directly, at the sessions of the app `appName` in `appDir`;
   * `url` reaches the real server (or the file).
   */
  inspect(o: { appDir: string; appName: string; url: string }): Promise<StoreInspector>;
}

/** A store on its server: the app reaches it at the URL the server's table makes. */
function onServer(server: StoreServer, inspect: StoreCase['inspect']): StoreCase {
  return {
    id: server.store,
    server,
    url: ({ port, password, database }) => server.url({ port, password, database }),
    inspect,
  };
}

export const STORE_CASES: StoreCase[] = [
  {
    id: 'sqlite',
    url: ({ dataDir }) => join(dataDir, 'sessions.db'),
    inspect: async ({ appDir, url }) => sqliteInspector(appDir, url, 'sessions'),
  },
  // one key prefix per app (its package name), so apps sharing a Redis never see each other's sessions
  onServer(STORE_SERVERS.redis, ({ url, appName }) => redisInspector(url, `${appName}:sess:`)),
  onServer(STORE_SERVERS.postgres, ({ url }) => postgresInspector(url, 'session', 'expire')),
  onServer(STORE_SERVERS.mysql, ({ url }) => mysqlInspector(url, 'sessions')),
];

/** Lines an app process must never print, over the whole run. */
export const FORBIDDEN_STDERR: Array<[string, RegExp]> = [
  ['the MemoryStore warning', /MemoryStore/],
  ['an unhandled rejection', /UnhandledPromiseRejection|unhandledRejection|unhandled (promise )?rejection/i],
  ['ERR_HTTP_HEADERS_SENT', /ERR_HTTP_HEADERS_SENT|Cannot set headers after they are sent/],
];
