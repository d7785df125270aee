// Writes atomically: everything goes into a staging directory beside the target first, then moves
// into place, so an error or Ctrl-C never leaves a half-written project, and no file we did not
// write is ever replaced or deleted.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { access, constants, lstat, mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { FailedError, quote, UsageError } from './errors.js';
import type { RenderedFile } from './render.js';

/**
 * What a fresh `git init`, Finder or Explorer leave in a directory. A directory holding only these
 * counts as empty, as in create-vite: `git init my-app` first, then create the app in it.
 */
const LEFT_BY_TOOLS = new Set(['.git', '.DS_Store', 'Thumbs.db']);

/** Whether a directory with these entries counts as empty: nothing in it, or only what tools leave. */
export function countsAsEmpty(entries: readonly string[]): boolean {
  return entries.every((entry) => LEFT_BY_TOOLS.has(entry));
}

type TargetState = 'missing' | 'empty' | 'non-empty';

async function inspectTarget(dir: string): Promise<TargetState> {
  const stat = await lstat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!stat) return 'missing';
  if (!stat.isDirectory()) {
    throw new UsageError(`${quote(dir)} exists and is not a directory: choose another project directory.`);
  }
  return countsAsEmpty(await readdir(dir)) ? 'empty' : 'non-empty';
}

/**
 * Whether the project may go into `dir`: it is missing, empty, or --force lets the project go beside
 * the files there; and we can write in it. Checked before the first question, and again at write time.
 */
export async function checkTargetDirectory(dir: string, force: boolean): Promise<TargetState> {
  const state = await inspectTarget(dir);
  await checkWritable(state === 'missing' ? path.dirname(dir) : dir);
  if (state === 'non-empty' && !force) {
    throw new UsageError(
      `Directory ${quote(dir)} is not empty: choose a new directory, ` +
        `or pass --force to add the project beside its files.`,
    );
  }
  return state;
}

/** No file of ours may replace one already in `dir`: --force adds beside, never over. */
async function refuseToReplace(dir: string, files: readonly { path: string }[]): Promise<void> {
  for (const file of files) {
    const existing = await lstat(path.join(dir, file.path)).catch(() => undefined);
    if (existing) {
      throw new UsageError(
        `${quote(file.path)} already exists in ${quote(dir)}: move it away first; --force never replaces your files.`,
      );
    }
  }
}

/** The directory itself, or the closest ancestor that exists, must take new files. */
async function checkWritable(dir: string): Promise<void> {
  const existing = await closestExisting(dir);
  try {
    await access(existing, constants.W_OK);
  } catch (error) {
    throw new UsageError(
      `Cannot write in ${quote(existing)} (${describeFsError(error)}): choose a directory you can write to.`,
    );
  }
}

async function closestExisting(dir: string): Promise<string> {
  for (let current = dir; ; current = path.dirname(current)) {
    const stat = await lstat(current).catch(() => undefined);
    if (stat) return current;
    if (path.dirname(current) === current) return current;
  }
}

const FS_REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a part of the path is a file',
};

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return FS_REASONS[code] ?? (error as Error).message;
}

export async function writeProject(dir: string, files: readonly RenderedFile[], force: boolean, signal?: AbortSignal) {
  const state = await checkTargetDirectory(dir, force);
  if (state !== 'missing') await refuseToReplace(dir, files);
  const parent = path.dirname(dir);
  const createdParent = await mkdir(parent, { recursive: true });
  const staging = path.join(parent, `.${path.basename(dir)}.tmp-${randomBytes(4).toString('hex')}`);
  const moved: string[] = [];
  try {
    await mkdir(staging);
    for (const file of files) {
      signal?.throwIfAborted();
      await slowWriteForTests();
      const destination = path.join(staging, file.path);
      // Synchronous: some forty small files take a few ms so, several times that through the thread pool.
      mkdirSync(path.dirname(destination), { recursive: true });
      writeFileSync(destination, file.content, { mode: file.mode, flag: 'wx' });
      chmodSync(destination, file.mode); // the umask may have narrowed or widened it
    }
    // One turn of the event loop, so a Ctrl-C that came during the writes is seen before the move.
    await new Promise(setImmediate);
    signal?.throwIfAborted();
    if (state === 'missing') {
      await rename(staging, dir);
      return;
    }
    // A directory with nothing in it is swapped for the staged one. One that holds something (a
    // fresh .git, or other files with --force) keeps it: ours move in one by one.
    if ((await readdir(dir)).length === 0) await rmdir(dir).then(() => rename(staging, dir));
    else await moveInto(staging, dir, files, moved);
  } catch (error) {
    await Promise.all(moved.map((file) => rm(file, { force: true })));
    if (createdParent) await rm(createdParent, { recursive: true, force: true });
    if (!(error as NodeJS.ErrnoException).code || error instanceof UsageError) throw error;
    throw new FailedError(
      `Could not write the project to ${quote(dir)} (${describeFsError(error)}); nothing was left behind.`,
    );
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

// Tests widen the window between files to prove Ctrl-C while writing leaves nothing behind.
const SLOW_WRITE_MS = Number(process.env.CREATE_SECURE_SESSION_APP_TEST_SLOW_WRITE_MS ?? 0);
const slowWriteForTests = () => (SLOW_WRITE_MS > 0 ? new Promise((r) => setTimeout(r, SLOW_WRITE_MS)) : undefined);

/** Into a directory that keeps what it holds: move ours in one by one, remembering each. */
async function moveInto(staging: string, dir: string, files: readonly RenderedFile[], moved: string[]) {
  for (const file of files) {
    const destination = path.join(dir, file.path);
    await mkdir(path.dirname(destination), { recursive: true });
    await lstat(destination).then(
      () =>
        Promise.reject(
          new UsageError(`${quote(file.path)} appeared in ${quote(dir)} while writing; nothing was changed.`),
        ),
      () => undefined,
    );
    await rename(path.join(staging, file.path), destination);
    moved.push(destination);
  }
}
