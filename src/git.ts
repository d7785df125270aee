import type { Output } from './output.js';
import { run } from './run.js';

export type GitResult = 'committed' | 'initialised' | 'skipped';

/** git init and a first commit; a missing git or an enclosing repository is a note, not a failure. */
export async function initGit(dir: string, out: Output): Promise<GitResult> {
  const inside = await run('git', ['rev-parse', '--is-inside-work-tree'], dir);
  if (inside.code === null) {
    out.warn('git was not found; skipped git init.');
    return 'skipped';
  }
  if (inside.code === 0 && inside.output.trim() === 'true') {
    out.info('The project is inside a git repository already; skipped git init.');
    return 'skipped';
  }
  const init = await run('git', ['init', '--quiet'], dir);
  if (init.code !== 0) {
    out.warn(`git init failed: ${init.output.trim().split('\n')[0]}`);
    return 'skipped';
  }
  await run('git', ['add', '--all'], dir);
  const commit = await run('git', ['commit', '--quiet', '--message', 'Initial commit from create-secure-session-app'], dir);
  if (commit.code !== 0) {
    out.warn('git init done, but the first commit failed (is git user.name/user.email set?).');
    return 'initialised';
  }
  return 'committed';
}
