// Every child process a test starts is registered here, so that even when a test throws before its
// `after` hook could stop it, nothing outlives the test process.
import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();
/** Children started with `detached: true`, whose whole process group is signalled (nginx and its workers). */
const groups = new WeakSet<ChildProcess>();
let hooked = false;

export function track(child: ChildProcess, { group = false }: { group?: boolean } = {}): ChildProcess {
  live.add(child);
  if (group) groups.add(child);
  child.once('exit', () => live.delete(child));
  if (!hooked) {
    hooked = true;
    process.once('exit', killAllTracked);
  }
  return child;
}

/** SIGKILL whatever is still running (sync, so it can run in an 'exit' handler). */
export function killAllTracked(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) {
      signal(child, 'SIGKILL');
    }
  }
  live.clear();
}

/** Sends `sig` to the child, or to its process group when it was tracked as a group leader. */
function signal(child: ChildProcess, sig: NodeJS.Signals): void {
  try {
    if (groups.has(child) && child.pid !== undefined) process.kill(-child.pid, sig);
    else child.kill(sig);
  } catch {
    // already gone
  }
}

/** Resolves when the child has exited (immediately if it already has). */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function terminate(child: ChildProcess, graceMs = 5000, sig: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = exited(child);
  signal(child, sig);
  const timer = setTimeout(() => signal(child, 'SIGKILL'), graceMs);
  try {
    await done;
  } finally {
    clearTimeout(timer);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Thrown from a `waitFor` check to stop waiting at once (e.g. the process being waited for has exited). */
export class GiveUp extends Error {}

/** Polls `check` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  { timeoutMs, intervalMs = 100 }: { timeoutMs: number; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof GiveUp) throw error;
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await sleep(intervalMs);
  }
}
