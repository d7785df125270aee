// Redis beyond one server, started by the tests from Debian's redis-server and redis-sentinel on free
// local ports (never the machine's own Redis on 6379, which other tests share): a cluster of three
// primaries with one replica each, and a primary with one replica watched by three sentinels. Each
// server is a child process in a temp dir, killed and removed by `stop()`.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from './cli.ts';
import { makeTempDir } from './paths.ts';
import { freePorts } from './ports.ts';
import { exited, terminate, track, waitFor } from './processes.ts';
import { findTool } from './tools.ts';

export interface RedisNode {
  port: number;
  /** SIGKILL: the server dies as a crashed machine would, without a last save or a goodbye. */
  kill: () => Promise<void>;
  alive: () => boolean;
}

interface Topology {
  dir: string;
  stop: () => Promise<void>;
}

export interface RedisCluster extends Topology {
  nodes: RedisNode[];
  /** The seed URLs, as REDIS_CLUSTER_URLS takes them. */
  urls: string[];
  /** Runs redis-cli against one node: `cli(port, 'cluster', 'nodes')`. */
  cli: (port: number, ...args: string[]) => Promise<string>;
  /** The port of the primary serving `key` now (asked with CLUSTER KEYSLOT and CLUSTER SHARDS via redis-cli). */
  primaryFor: (key: string) => Promise<number>;
}

export interface RedisSentinelSetup extends Topology {
  primary: RedisNode;
  replica: RedisNode;
  sentinels: RedisNode[];
  master: string;
  cli: (port: number, ...args: string[]) => Promise<string>;
  /** host:port of the current primary, as the sentinels see it. */
  currentPrimary: () => Promise<number>;
}

const cliPath = () => findTool('redis-cli') ?? 'redis-cli';

async function cli(port: number, ...args: string[]): Promise<string> {
  const run = await runProcess(cliPath(), ['-h', '127.0.0.1', '-p', String(port), ...args], {
    cwd: tmpdir(),
    env: process.env,
    timeoutMs: 30_000,
  });
  if (run.code !== 0) throw new Error(`redis-cli -p ${port} ${args.join(' ')}: ${run.stderr || run.stdout}`);
  return run.stdout.trim();
}

function startServer(program: string, args: string[], dir: string, port: number): RedisNode {
  const child: ChildProcess = track(
    spawn(findTool(program) ?? program, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] }),
  );
  let alive = true;
  const gone = exited(child).then(() => (alive = false));
  return {
    port,
    alive: () => alive,
    kill: async () => {
      await terminate(child, 0, 'SIGKILL');
      await gone;
    },
  };
}

const serverArgs = (dir: string, port: number) => [
  '--port',
  String(port),
  '--bind',
  '127.0.0.1',
  '--dir',
  dir,
  '--save',
  '',
  '--appendonly',
  'no',
  '--logfile',
  join(dir, `redis-${port}.log`),
  '--daemonize',
  'no',
];

async function answers(port: number) {
  await waitFor(`redis on 127.0.0.1:${port}`, async () => ((await cli(port, 'ping')) === 'PONG' ? true : undefined), {
    timeoutMs: 10_000,
    intervalMs: 50,
  });
}

/** Three primaries, each with one replica; ready once every node says cluster_state:ok. */
export async function startCluster(): Promise<RedisCluster> {
  const tmp = await makeTempDir('redis-cluster');
  const nodes: RedisNode[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.kill()));
    await tmp.remove();
  };
  try {
    const ports = await freePorts(12); // six nodes and their cluster bus ports
    for (let i = 0; i < 6; i++) {
      const [port, bus] = [ports[2 * i]!, ports[2 * i + 1]!];
      const args = [...serverArgs(tmp.path, port), '--cluster-enabled', 'yes', '--cluster-port', String(bus)];
      args.push('--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', '2000');
      nodes.push(startServer('redis-server', args, tmp.path, port));
    }
    await Promise.all(nodes.map((n) => answers(n.port)));
    const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
    await cli(nodes[0]!.port, '--cluster', 'create', ...addresses, '--cluster-replicas', '1', '--cluster-yes');
    // ready when every node serves and every replica has its primary's data (else it cannot take over)
    await waitFor(
      'every cluster node to say cluster_state:ok, and every replica to be in sync',
      async () => {
        for (const n of nodes) {
          if (!(await cli(n.port, 'cluster', 'info')).includes('cluster_state:ok')) return undefined;
          const replication = await cli(n.port, 'info', 'replication');
          if (replication.includes('role:slave') && !replication.includes('master_link_status:up')) return undefined;
        }
        return (await cli(nodes[0]!.port, 'cluster', 'nodes')).split('\n').filter((l) => l.includes('slave')).length ===
          3
          ? true
          : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const cluster: RedisCluster = {
    dir: tmp.path,
    nodes,
    urls: nodes.slice(0, 3).map((n) => `redis://127.0.0.1:${n.port}`),
    cli,
    stop,
    async primaryFor(key) {
      const alive = nodes.find((n) => n.alive())!;
      const slot = Number(await cli(alive.port, 'cluster', 'keyslot', key));
      // "id host:port@bus flags master - ... slot-range": the master line whose ranges hold the slot
      for (const line of (await cli(alive.port, 'cluster', 'nodes')).split('\n')) {
        const fields = line.split(' ');
        if (!fields[2]?.includes('master') || fields[2].includes('fail')) continue;
        for (const range of fields.slice(8)) {
          const [lo, hi = lo] = range.split('-').map(Number);
          if (slot >= lo! && slot <= hi!) return Number(fields[1]!.split('@')[0]!.split(':')[1]);
        }
      }
      throw new Error(`no primary serves slot ${slot}`);
    },
  };
  return cluster;
}

/** One primary, one replica, three sentinels (quorum 2) watching them as `master`. */
export async function startSentinel(master = 'sessions'): Promise<RedisSentinelSetup> {
  const tmp = await makeTempDir('redis-sentinel');
  const all: RedisNode[] = [];
  const stop = async () => {
    await Promise.all(all.map((n) => n.kill()));
    await tmp.remove();
  };
  try {
    const [p, r, ...s] = await freePorts(5);
    all.push(startServer('redis-server', serverArgs(tmp.path, p!), tmp.path, p!));
    const replicaArgs = [...serverArgs(tmp.path, r!), '--replicaof', '127.0.0.1', String(p)];
    all.push(startServer('redis-server', replicaArgs, tmp.path, r!));
    await Promise.all(all.map((n) => answers(n.port)));
    await waitFor(
      'the replica to be in sync',
      async () => ((await cli(r!, 'info', 'replication')).includes('master_link_status:up') ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    for (const port of s) {
      // a sentinel rewrites its configuration file, so each has its own
      const conf = join(tmp.path, `sentinel-${port}.conf`);
      await writeFile(
        conf,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${tmp.path}`,
          `logfile ${join(tmp.path, `sentinel-${port}.log`)}`,
          `sentinel monitor ${master} 127.0.0.1 ${p} 2`,
          `sentinel down-after-milliseconds ${master} 1000`,
          `sentinel failover-timeout ${master} 5000`,
          `sentinel parallel-syncs ${master} 1`,
          '',
        ].join('\n'),
      );
      all.push(startServer('redis-sentinel', [conf], tmp.path, port));
    }
    await Promise.all(all.slice(2).map((n) => answers(n.port)));
    await waitFor(
      'the sentinels to see the replica and each other',
      async () => {
        for (const n of all.slice(2)) {
          const info = await cli(n.port, 'sentinel', 'master', master);
          const field = (name: string) => Number(info.split('\n')[info.split('\n').indexOf(name) + 1]);
          if (field('num-slaves') < 1 || field('num-other-sentinels') < 2) return undefined;
        }
        return true;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    dir: tmp.path,
    primary: all[0]!,
    replica: all[1]!,
    sentinels: all.slice(2),
    master,
    cli,
    stop,
    async currentPrimary() {
      const sentinel = all.slice(2).find((n) => n.alive())!;
      const [, port] = (await cli(sentinel.port, 'sentinel', 'get-master-addr-by-name', master)).split('\n');
      return Number(port);
    },
  };
}
