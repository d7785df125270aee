// The generated app as a real process: `node src/server.js` in its directory, with an environment
// given explicitly (nothing inherited but PATH and HOME), ready once GET /health answers.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { runProcess, type RunResult } from './cli.ts';
import { client } from './https-client.ts';
import { exited, GiveUp, terminate, track, waitFor } from './processes.ts';

export interface AppEnv {
  NODE_ENV?: string;
  PORT?: string;
  HOST?: string;
  SESSION_SECRET?: string;
  DEMO_USER?: string;
  DEMO_PASSWORD?: string;
  SQLITE_PATH?: string;
  [key: string]: string | undefined;
}

export interface StartAppOptions {
  dir: string;
  env: AppEnv;
  /** Where /health is polled; defaults to env.HOST (or 127.0.0.1) and env.PORT. */
  port?: number;
  entry?: string;
  timeoutMs?: number;
  /** The node binary that runs the app; defaults to the one running the tests. */
  nodePath?: string;
  /** Node's own options before the entry, e.g. ['--expose-gc']. */
  nodeArgs?: string[];
  /**
   * Start it with this command instead of `node <entry>` (a package manager's start script): run
   * in a process group of its own, so that stopping it stops the node it started too.
   */
  command?: { file: string; args: string[] };
  /**
   * For an app serving HTTPS itself (`none`): an HTTPS listener never answers plain HTTP, so /health
   * is polled over TLS, trusting `ca` and sending `servername` as SNI and Host.
   */
  tls?: { ca: string; servername: string };
}

export interface RunningApp {
  port: number;
  stdout: () => string;
  stderr: () => string;
  /** How the process ended, or undefined while it runs. */
  exitInfo?: () => { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process is gone. Safe to call twice. */
  stop: () => Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** PATH and HOME plus exactly the variables given (undefined ones left out). */
export function appProcessEnv(env: AppEnv): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) result[k] = v;
  return result;
}

function healthStatus(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path: '/health', agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('timeout', () => req.destroy(new Error('health request timed out')));
    req.once('error', reject);
  });
}

export async function startApp(options: StartAppOptions): Promise<RunningApp> {
  const { dir, env, entry = 'src/server.js', timeoutMs = 20_000 } = options;
  const port = options.port ?? Number(env.PORT);
  if (!Number.isInteger(port) || port <= 0) throw new Error('startApp: give env.PORT or port');
  const host = env.HOST && env.HOST !== '0.0.0.0' ? env.HOST : '127.0.0.1';
  const { command } = options;
  const child = track(
    spawn(command?.file ?? options.nodePath ?? process.execPath, command?.args ?? [...(options.nodeArgs ?? []), entry], {
      cwd: dir,
      env: appProcessEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: command !== undefined,
    }),
    { group: command !== undefined },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const done = exited(child).then((info) => (exitInfo = info));
  const stop = async () => {
    await terminate(child, 5000);
    await done;
    return exitInfo!;
  };
  const { tls } = options;
  const https = tls && client({ port, address: host, hostname: tls.servername, ca: tls.ca });
  try {
    await waitFor(
      tls ? `the app's GET https://${tls.servername}:${port}/health` : `the app's GET http://${host}:${port}/health`,
      async () => {
        if (exitInfo) throw new GiveUp(`the app exited (code ${exitInfo.code}, signal ${exitInfo.signal}) before answering /health`);
        const status = https ? (await https.get('/health', { timeoutMs: 2000 })).status : await healthStatus(host, port);
        if (status !== 200) throw new Error(`/health answered ${status}`);
        return true;
      },
      { timeoutMs, intervalMs: 100 },
    );
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- app stdout ---\n${stdout}\n--- app stderr ---\n${stderr}`);
  }
  return { port, stdout: () => stdout, stderr: () => stderr, exitInfo: () => exitInfo, stop };
}

/** Runs the app expecting it to exit on its own (e.g. a refused configuration), within `timeoutMs`. */
export function runAppToExit(options: { dir: string; env: AppEnv; entry?: string; timeoutMs?: number; nodePath?: string }): Promise<RunResult> {
  const { dir, env, entry = 'src/server.js', timeoutMs = 5000, nodePath = process.execPath } = options;
  return runProcess(nodePath, [entry], { cwd: dir, env: appProcessEnv(env), timeoutMs });
}
