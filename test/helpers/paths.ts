// Paths derived from this file's location, never hard-coded.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';

/** The repository root (test/helpers/ is two levels below it). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI_BIN = join(REPO_ROOT, 'bin', 'create-secure-session-app.js');

/** A fresh directory under the OS temp dir; `remove()` deletes it (safe to call twice). */
export async function makeTempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `cssa-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/**
 * A temp dir for the enclosing describe (made in its `before`, removed in its `after`) and a new,
 * empty directory in it for each case, so no case sees another's files.
 */
export function caseDirs(prefix: string): { root: () => string; emptyDir: () => Promise<string> } {
  let tmp: { path: string; remove: () => Promise<void> } | undefined;
  let counter = 0;
  before(async () => {
    tmp = await makeTempDir(prefix);
  });
  after(async () => {
    await tmp?.remove();
  });
  const root = () => {
    if (!tmp) throw new Error(`caseDirs(${prefix}): used outside a test`);
    return tmp.path;
  };
  return {
    root,
    emptyDir: async () => {
      const dir = join(root(), `case-${++counter}`);
      await mkdir(dir);
      return dir;
    },
  };
}
