import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Output } from './output.js';
import { run } from './run.js';

export type GitResult = 'committed' | 'initialised' | 'skipped';

/**
 * git init and a first commit; a missing git or an enclosing repository is a note, not a failure.
 * A repository of the project's own with no commit yet (`git init my-app` first) gets the first commit.
 */
export async function initGit(dir: string, out: Output): Promise<GitResult> {
  const toplevel = await run('git', ['rev-parse', '--show-toplevel'], dir);
  if (toplevel.code === null) {
    out.warn('git was not found; skipped git init.');
    return 'skipped';
  }
  if (toplevel.code === 0) {
    if (!(await isSameDirectory(toplevel.output.trim(), dir))) {
      out.info('The project is inside a git repository already; skipped git init.');
      return 'skipped';
    }
    // Its history is the user's: only an empty repository gets our commit.
    if ((await run('git', ['rev-parse', '--verify', '--quiet', 'HEAD'], dir)).code === 0) {
      out.info('The directory has a git repository with history: skipped git init; the new files are not committed.');
      return 'skipped';
    }
    if (await firstCommit(dir)) {
      out.info('The directory had an empty git repository: skipped git init, made the first commit in it.');
      return 'committed';
    }
    out.warn('The first commit in the existing git repository failed (is git user.name/user.email set?).');
    return 'skipped';
  }
  const init = await run('git', ['init', '--quiet'], dir);
  if (init.code !== 0) {
    out.warn(`git init failed: ${init.output.trim().split('\n')[0]}`);
    return 'skipped';
  }
  if (await firstCommit(dir)) return 'committed';
  out.warn('git init done, but the first commit failed (is git user.name/user.email set?).');
  return 'initialised';
}

async function firstCommit(dir: string): Promise<boolean> {
  await run('git', ['add', '--all'], dir);
  const message = 'Initial commit from create-secure-session-app';
  return (await run('git', ['commit', '--quiet', '--message', message], dir)).code === 0;
}

/** git prints the top level with symlinks resolved and forward slashes, on every system. */
async function isSameDirectory(gitPath: string, dir: string): Promise<boolean> {
  const real = await realpath(dir).catch(() => dir);
  return path.resolve(gitPath) === path.resolve(real);
}
