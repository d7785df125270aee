// Writes atomically: everything goes into a staging directory beside the target first, then moves
// into place, so an error or Ctrl-C never leaves a half-written project, and no file we did not
// write is ever replaced or deleted.
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, rename, rm, rmdir, writeFile, chmod } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from './errors.js';
import type { RenderedFile } from './render.js';

export type TargetState = 'missing' | 'empty' | 'non-empty';

export async function inspectTarget(dir: string): Promise<TargetState> {
  const stat = await lstat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!stat) return 'missing';
  if (!stat.isDirectory()) {
    throw new UsageError(`"${dir}" exists and is not a directory: choose another project directory.`);
  }
  return (await readdir(dir)).length === 0 ? 'empty' : 'non-empty';
}

/** Refuses a non-empty target unless forced, and a forced one where we would replace a file. */
export async function checkTarget(dir: string, files: readonly { path: string }[] | undefined, force: boolean) {
  const state = await inspectTarget(dir);
  if (state !== 'non-empty') return state;
  if (!force) {
    throw new UsageError(
      `Directory "${dir}" is not empty: choose a new directory, or pass --force to add the project beside its files.`,
    );
  }
  for (const file of files ?? []) {
    const existing = await lstat(path.join(dir, file.path)).catch(() => undefined);
    if (existing) {
      throw new UsageError(
        `"${file.path}" already exists in "${dir}": move it away first; --force never replaces your files.`,
      );
    }
  }
  return state;
}

export async function writeProject(dir: string, files: readonly RenderedFile[], force: boolean, signal?: AbortSignal) {
  const state = await checkTarget(dir, files, force);
  const parent = path.dirname(dir);
  const createdParent = await mkdir(parent, { recursive: true });
  const staging = path.join(parent, `.${path.basename(dir)}.tmp-${randomBytes(4).toString('hex')}`);
  const moved: string[] = [];
  try {
    await mkdir(staging);
    for (const file of files) {
      signal?.throwIfAborted();
      const destination = path.join(staging, file.path);
      await mkdir(path.dirname(destination), { recursive: true });
      await writeFile(destination, file.content, { mode: file.mode, flag: 'wx' });
      await chmod(destination, file.mode); // the umask may have narrowed or widened it
    }
    signal?.throwIfAborted();
    if (state === 'missing') {
      await rename(staging, dir);
      return;
    }
    if (state === 'empty') await rmdir(dir).then(() => rename(staging, dir));
    else await moveInto(staging, dir, files, moved);
  } catch (error) {
    await Promise.all(moved.map((file) => rm(file, { force: true })));
    if (createdParent) await rm(createdParent, { recursive: true, force: true });
    throw error;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** --force into a directory with other files: move ours in one by one, remembering each. */
async function moveInto(staging: string, dir: string, files: readonly RenderedFile[], moved: string[]) {
  for (const file of files) {
    const destination = path.join(dir, file.path);
    await mkdir(path.dirname(destination), { recursive: true });
    await lstat(destination).then(
      () => Promise.reject(new UsageError(`"${file.path}" appeared in "${dir}" while writing; nothing was changed.`)),
      () => undefined,
    );
    await rename(path.join(staging, file.path), destination);
    moved.push(destination);
  }
}
