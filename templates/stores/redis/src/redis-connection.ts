// The connection to Redis in the shape config.ts found: one server (REDIS_URL), a Redis Cluster
// (REDIS_CLUSTER_URLS) or a primary watched by Sentinel (REDIS_SENTINELS). The sessions (store.ts)
// and the accounts (users.ts) use it the same way whatever the shape; only here do the shapes differ.
import { createClient, createCluster, createSentinel } from 'redis';
import type { RedisClientType } from 'redis';
import type { loadStoreConfig } from './config.ts';
import { STORE_TIMEOUT_MS } from './store-timeout.ts';

export type RedisLocation = ReturnType<typeof loadStoreConfig>['store'];

/** What rate-limit-redis needs to send its script: a cluster must be told the key, to find its node. */
type RateLimitSend =
  | { sendCommand: (...args: string[]) => Promise<never> }
  | {
      sendCommandCluster: (o: { key?: string; isReadOnly: boolean; command: string[] }) => Promise<never>;
    };

export interface RedisConnection {
  /**
   * The commands (get, set, hGet, eval…). A cluster and a Sentinel client take them as one server
   * does, sending each to the node holding its key: typed as one server's client for that reason.
   */
  client: RedisClientType;
  rateLimitSend: RateLimitSend;
  /** Before the first connection, a failure gives up (the app stops and says why); after it, retry for ever. */
  connect: () => Promise<unknown>;
  destroy: () => void;
  close: () => Promise<unknown>;
  isOpen: () => boolean;
}

/** Told when the connection to (a node of) Redis is lost, and when it is back; `where` names the node. */
export interface RedisEvents {
  lost?: (where: string, err: Error) => void;
  back?: (where: string) => void;
}

export function connectRedis(location: RedisLocation, events: RedisEvents = {}): RedisConnection {
  let connected = false; // true from the first successful connection on
  const node = {
    disableOfflineQueue: true, // while disconnected, commands fail at once (503) instead of waiting in a queue
    pingInterval: 5000, // keeps the connection busy, so the socket timeout below only fires when Redis hangs
    socket: {
      connectTimeout: STORE_TIMEOUT_MS,
      socketTimeout: 3 * STORE_TIMEOUT_MS, // no answer for this long (not even to a ping): drop the connection
      // Before the first connection, give up, so the app stops and says why. After it, retry for
      // ever (from 50 ms up to every 2 s), so the app recovers by itself when Redis is back.
      reconnectStrategy: (retries: number) => (connected ? Math.min(50 * 2 ** retries, 2000) : false),
    },
  };
  const lost = (where: string) => (err: unknown) => {
    if (connected) events.lost?.(where, err instanceof Error ? err : new Error(String(err)));
  };
  const back = (where: string) => () => {
    if (connected) events.back?.(where);
  };
  const started = (connect: () => Promise<unknown>) => async () => {
    await connect();
    connected = true;
  };

  if (location.mode === 'cluster') {
    // The listed nodes are only where to start: the client asks them for the whole cluster, and
    // after a failover (a replica taking over a primary that went away) asks again within a second.
    const [first] = location.nodes.map((url) => new URL(url));
    const cluster = createCluster({
      rootNodes: location.nodes.map((url) => ({ url })),
      defaults: {
        ...node,
        username: decodeURIComponent(first!.username) || undefined,
        password: decodeURIComponent(first!.password) || undefined,
        socket: { ...node.socket, tls: first!.protocol === 'rediss:' },
      },
      topologyRefreshOnReconnectionAttemptStrategy: 1000,
    });
    // Node exits on an 'error' event nobody listens to; the node events say which node.
    cluster.on('error', () => {});
    cluster.on('node-error', (err: Error, info: { host: string; port: number }) =>
      lost(`${info.host}:${info.port}`)(err),
    );
    cluster.on('node-ready', (info: { host: string; port: number }) => back(`${info.host}:${info.port}`)());
    return {
      client: cluster as unknown as RedisClientType,
      rateLimitSend: {
        sendCommandCluster: ({ key, isReadOnly, command }) => cluster.sendCommand(key, isReadOnly, command),
      },
      connect: started(() => cluster.connect()),
      destroy: () => void cluster.destroy(),
      close: () => cluster.close(),
      isOpen: () => cluster.isOpen,
    };
  }

  if (location.mode === 'sentinel') {
    // The sentinels say which server is the primary now; after a failover they name the new one,
    // and commands wait for it (within the store's deadline) instead of failing.
    const sentinel = createSentinel({
      name: location.master,
      sentinelRootNodes: location.sentinels.map(({ host, port }) => ({ host, port })),
      nodeClientOptions: { ...node, ...location.node },
      sentinelClientOptions: { ...location.sentinel, socket: node.socket },
    });
    sentinel.on('error', lost(`Sentinel master ${location.master}`));
    sentinel.on('topology-change', (event: { type: string; node?: { host: string; port: number } }) => {
      if (event.type === 'MASTER_CHANGE' && event.node) back(`${event.node.host}:${event.node.port} (new primary)`)();
    });
    return {
      client: sentinel as unknown as RedisClientType,
      rateLimitSend: { sendCommand: (...args) => sentinel.sendCommand(false, args) },
      connect: started(() => sentinel.connect()),
      destroy: () => void sentinel.destroy(),
      close: () => sentinel.close(),
      isOpen: () => sentinel.isOpen,
    };
  }

  // url: redis:// or rediss:// (TLS); user, password and database number come from it too
  const client = createClient({ url: location.url, ...node });
  client.on('error', lost('Redis'));
  client.on('ready', back('Redis'));
  return {
    client: client as RedisClientType,
    rateLimitSend: { sendCommand: (...args) => client.sendCommand(args) },
    connect: started(() => client.connect()),
    destroy: () => client.destroy(),
    close: () => client.close(),
    isOpen: () => client.isOpen,
  };
}
