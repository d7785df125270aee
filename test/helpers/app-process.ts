// The generated app as a real process: `node <entry>` in its directory, the entry its `npm start`
// runs (src/server.js, or src/server.ts for the TypeScript app), with an environment given explicitly
// (nothing inherited but PATH and HOME), ready once GET /health answers.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { describeRun, runProcess, type RunResult } from './cli.ts';
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
  /** The file node runs; the one the app's `npm start` runs unless given. */
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
  /** The process started (the package manager's, when started with `command`). */
  pid: number;
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

/**
 * Runs one of the app's account scripts as its README tells an operator to: `npm run <script> --
 * <name>`, a password (if any) piped on standard input, in the app's environment (the store's
 * location, whatever else `env` holds; DEMO_USER/DEMO_PASSWORD left out).
 */
export function runUserScript(
  dir: string,
  env: AppEnv,
  script: 'user:add' | 'user:passwd' | 'user:remove',
  name: string,
  { password, nodePath }: { password?: string; nodePath?: string } = {},
): Promise<RunResult> {
  const { DEMO_USER, DEMO_PASSWORD, ...rest } = env;
  const childEnv = appProcessEnv(rest);
  // npm runs the script with the node first on PATH: make that the app's node.
  if (nodePath) childEnv.PATH = `${dirname(nodePath)}:${childEnv.PATH}`;
  const stdin = password === undefined ? '' : `${password}\n`;
  return runProcess('npm', ['run', '--silent', script, '--', name], {
    cwd: dir,
    env: childEnv,
    stdin,
    timeoutMs: 60_000,
  });
}

/**
 * Creates the account `user` in the app's store with `npm run user:add`. A production app takes no
 * password from the environment (DEMO_USER/DEMO_PASSWORD stop it), so every test that logs in to one
 * calls this before starting it. `replace`: for a store shared between runs (the servers' `test`
 * database), a name left by an earlier run gets this password instead (`user:passwd`).
 */
export async function addUser(
  dir: string,
  env: AppEnv,
  user: { name: string; password: string },
  { nodePath, replace = false }: { nodePath?: string; replace?: boolean } = {},
): Promise<void> {
  let result = await runUserScript(dir, env, 'user:add', user.name, { password: user.password, nodePath });
  if (replace && result.code !== 0 && /exists already/.test(result.stderr)) {
    result = await runUserScript(dir, env, 'user:passwd', user.name, { password: user.password, nodePath });
  }
  if (result.code !== 0) throw new Error(`npm run user:add -- ${user.name} failed: ${describeRun(result)}`);
}

/** Gives the account a new password with `npm run user:passwd`. */
export async function changePassword(
  dir: string,
  env: AppEnv,
  user: { name: string; password: string },
): Promise<void> {
  const result = await runUserScript(dir, env, 'user:passwd', user.name, { password: user.password });
  if (result.code !== 0) throw new Error(`npm run user:passwd -- ${user.name} failed: ${describeRun(result)}`);
}

/** Removes the account again (stores shared between runs); a missing account is no error. */
export async function removeUser(dir: string, env: AppEnv, name: string): Promise<void> {
  const result = await runUserScript(dir, env, 'user:remove', name);
  if (result.code !== 0 && !/there is no user/.test(result.stderr))
    throw new Error(`npm run user:remove -- ${name} failed: ${describeRun(result)}`);
}

/**
 * The file the app's `npm start` runs (`node <file>`): src/server.js, or src/server.ts for the
 * TypeScript app, which Node runs as it is. Read from the generated package.json, so either language
 * is started the same way.
 */
export async function appEntry(dir: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { scripts?: { start?: string } };
  const entry = /^node (\S+)$/.exec(manifest.scripts?.start ?? '')?.[1];
  if (!entry)
    throw new Error(`${dir}/package.json: the start script is not \`node <file>\`: ${manifest.scripts?.start}`);
  return entry;
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
  const { dir, env, timeoutMs = 20_000 } = options;
  const port = options.port ?? Number(env.PORT);
  if (!Number.isInteger(port) || port <= 0) throw new Error('startApp: give env.PORT or port');
  const host = env.HOST && env.HOST !== '0.0.0.0' ? env.HOST : '127.0.0.1';
  const { command } = options;
  const entry = command ? '' : (options.entry ?? (await appEntry(dir)));
  const child = track(
    spawn(
      command?.file ?? options.nodePath ?? process.execPath,
      command?.args ?? [...(options.nodeArgs ?? []), entry],
      {
        cwd: dir,
        env: appProcessEnv(env),
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: command !== undefined,
      },
    ),
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
        if (exitInfo)
          throw new GiveUp(
            `the app exited (code ${exitInfo.code}, signal ${exitInfo.signal}) before answering /health`,
          );
        const status = https
          ? (await https.get('/health', { timeoutMs: 2000 })).status
          : await healthStatus(host, port);
        if (status !== 200) throw new Error(`/health answered ${status}`);
        return true;
      },
      { timeoutMs, intervalMs: 100 },
    );
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- app stdout ---\n${stdout}\n--- app stderr ---\n${stderr}`);
  }
  return { port, pid: child.pid!, stdout: () => stdout, stderr: () => stderr, exitInfo: () => exitInfo, stop };
}

/** Runs the app expecting it to exit on its own (e.g. a refused configuration), within `timeoutMs`. */
export async function runAppToExit(options: {
  dir: string;
  env: AppEnv;
  entry?: string;
  timeoutMs?: number;
  nodePath?: string;
}): Promise<RunResult> {
  const { dir, env, timeoutMs = 5000, nodePath = process.execPath } = options;
  const entry = options.entry ?? (await appEntry(dir));
  return runProcess(nodePath, [entry], { cwd: dir, env: appProcessEnv(env), timeoutMs });
}
