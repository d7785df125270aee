// Runs the real CLI as a child process (no TTY: stdio are pipes), with a timeout that fails the
// test instead of letting it hang.
import { spawn } from 'node:child_process';
import { CLI_BIN, REPO_ROOT } from './paths.ts';
import { terminate, track } from './processes.ts';

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface RunOptions {
  cwd?: string;
  /**
   * Environment. Merged over process.env unless `cleanEnv`; a key set to undefined is removed
   * (use `{ CI: undefined }` to run "as a developer").
   */
  env?: Record<string, string | undefined>;
  cleanEnv?: boolean;
  /**
   * What the CLI reads on stdin: a string is written then stdin is closed; 'open' leaves the pipe
   * open (nothing ever written) until the process exits, the case of a non-TTY caller that never
   * answers; default: closed at once.
   */
  stdin?: string | 'open';
  timeoutMs?: number;
  /** The node binary that runs the CLI; defaults to the one running the tests. */
  nodePath?: string;
}

/** The environment a CLI run gets: no colour, and never the CI flag of an outer run unless asked. */
export function childEnv(env: RunOptions['env'] = {}, cleanEnv = false): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = cleanEnv ? { PATH: process.env.PATH, HOME: process.env.HOME } : { ...process.env };
  // Node's test runner sets this in its children; the CLI under test must not see it.
  delete base.NODE_TEST_CONTEXT;
  const merged: NodeJS.ProcessEnv = { ...base, NO_COLOR: '1' };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

export async function runCli(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const { cwd = REPO_ROOT, env, cleanEnv = false, stdin, timeoutMs = 30_000, nodePath = process.execPath } = options;
  return runProcess(nodePath, [CLI_BIN, ...args], { cwd, env: childEnv(env, cleanEnv), stdin, timeoutMs });
}

/** Spawns `command`, collects its output, and rejects (after killing it) when it outlives `timeoutMs`. */
export function runProcess(
  command: string,
  args: string[],
  { cwd, env, stdin, timeoutMs }: { cwd: string; env: NodeJS.ProcessEnv; stdin?: string | 'open'; timeoutMs: number },
): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = track(spawn(command, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] }));
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin!.on('error', () => {}); // EPIPE when the child exits without reading
    if (stdin === 'open') {
      // left open on purpose; closed below once the child is gone
    } else {
      child.stdin!.end(stdin ?? '');
    }
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      void terminate(child, 1000);
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      child.stdin!.destroy();
      const result = { code, signal, stdout, stderr, durationMs: Date.now() - started };
      if (timedOut) {
        reject(
          new Error(
            `${command} ${args.join(' ')} did not finish within ${timeoutMs} ms (killed)\n` +
              `--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`,
          ),
        );
      } else {
        resolve(result);
      }
    });
  });
}

/** A compact description of a run, for assertion messages. */
export function describeRun(result: RunResult): string {
  return (
    `exit ${result.code}${result.signal ? ` (${result.signal})` : ''}\n--- ` +
    `stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`
  );
}
