// Paths derived from this file's location, never hard-coded.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (test/helpers/ is two levels below it). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI_BIN = join(REPO_ROOT, 'bin', 'create-secure-session-app.js');

/** A fresh directory under the OS temp dir; `remove()` deletes it (safe to call twice). */
export async function makeTempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `cssa-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
