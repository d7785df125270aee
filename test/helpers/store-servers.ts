// The database servers the server stores are tested against, on 127.0.0.1 (started by the machine,
// or by .ci/run): one table for the e2e suites, the security suites and the benchmark, so a port or
// an account is changed in one place.
import { isListening } from './ports.ts';

export type ServerStoreId = 'redis' | 'postgres' | 'mysql';

export interface StoreServer {
  store: ServerStoreId;
  /** The server's name, for messages and test names. */
  name: string;
  /** Its port on 127.0.0.1. */
  port: number;
  /**
   * A URL that reaches it: on 127.0.0.1:`port` (the real server's unless a forwarder's is given), with
   * `password` when given, and for the SQL servers the database `database` (`test` by default: only for administration;
   * a test run's apps get a database of their own, scratch-stores.ts).
   */
  url(o?: { port?: number; password?: string; database?: string }): string;
}

const secret = (password: string | undefined) => (password === undefined ? '' : `:${password}`);

export const STORE_SERVERS: Readonly<Record<ServerStoreId, StoreServer>> = {
  redis: {
    store: 'redis',
    name: 'Redis',
    port: 6379,
    url: ({ port = 6379, password } = {}) =>
      `redis://${password === undefined ? '' : `:${password}@`}127.0.0.1:${port}`,
  },
  postgres: {
    store: 'postgres',
    name: 'PostgreSQL',
    port: 5432,
    url: ({ port = 5432, password, database = 'test' } = {}) =>
      `postgres://postgres${secret(password)}@127.0.0.1:${port}/${database}`,
  },
  mysql: {
    store: 'mysql',
    name: 'MariaDB',
    port: 3306,
    url: ({ port = 3306, password, database = 'test' } = {}) =>
      `mysql://root${secret(password)}@127.0.0.1:${port}/${database}`,
  },
};

/** The server a store needs, or undefined (sqlite and memory need none). */
export function storeServer(store: string): StoreServer | undefined {
  return (STORE_SERVERS as Record<string, StoreServer | undefined>)[store];
}

/** Why the server cannot be used (it does not answer), or false (it does, or there is none). */
export async function serverDown(server: StoreServer | undefined): Promise<string | false> {
  if (!server) return false;
  return (await isListening(server.port)) ? false : `${server.name} does not answer on 127.0.0.1:${server.port}`;
}
