// The directory the CLI is given: one holding only what tools leave there (a fresh `git init`,
// .DS_Store, Thumbs.db) counts as empty, as in create-vite, and keeps those entries.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertOneLineError } from '../helpers/assertions.ts';
import { childEnv, describeRun, runCli, runProcess } from '../helpers/cli.ts';
import { caseDirs } from '../helpers/paths.ts';
import { needsTools } from '../helpers/tools.ts';

/** Run "as a developer", with a committer whatever git's config. */
const ENV = {
  CI: undefined,
  GIT_AUTHOR_NAME: 'cssa tests',
  GIT_AUTHOR_EMAIL: 'tests@cssa.invalid',
  GIT_COMMITTER_NAME: 'cssa tests',
  GIT_COMMITTER_EMAIL: 'tests@cssa.invalid',
};

async function git(args: string[], cwd: string): Promise<string> {
  const result = await runProcess('git', args, { cwd, env: childEnv(ENV), timeoutMs: 10_000 });
  assert.equal(result.code, 0, `git ${args.join(' ')}: ${describeRun(result)}`);
  return result.stdout.trim();
}

describe('a directory holding only .git counts as empty', needsTools('git'), () => {
  const dirs = caseDirs('target-dir');

  it('`git init my-app`, then the CLI on it without --force: the app goes into that repository', async () => {
    const parent = await dirs.emptyDir();
    const target = join(parent, 'my-app');
    await git(['init', '--quiet', target], parent);
    // Something of the user's in the repository, which a second `git init` or a new .git would lose.
    await git(['config', '--local', 'cssa.mine', 'kept'], target);

    const result = await runCli([target, '--yes', '--no-install'], { cwd: parent, env: ENV });
    assert.equal(result.code, 0, describeRun(result));
    assert.ok(existsSync(join(target, 'package.json')), 'the app was written');
    assert.equal(await git(['config', '--local', 'cssa.mine'], target), 'kept', 'the same .git, with its config');
    // The CLI's git step made the first commit in that repository, with every file of the app.
    assert.equal(await git(['log', '--format=%s'], target), 'Initial commit from create-secure-session-app');
    const tracked = (await git(['ls-files'], target)).split('\n');
    assert.ok(tracked.includes('package.json') && tracked.includes('src/app.js'), `tracked: ${tracked.join(', ')}`);
    assert.match(result.stderr, /empty git repository: skipped git init/, 'says it used the existing repository');
    assert.deepEqual(await readdir(parent), ['my-app'], 'nothing left beside the target');
  });

  it('a repository with history is left to its owner: no commit of ours on top', async () => {
    const parent = await dirs.emptyDir();
    const target = join(parent, 'my-app');
    await git(['init', '--quiet', target], parent);
    await git(['commit', '--quiet', '--allow-empty', '--message', 'mine'], target);

    const result = await runCli([target, '--yes', '--no-install'], { cwd: parent, env: ENV });
    assert.equal(result.code, 0, describeRun(result));
    assert.ok(existsSync(join(target, 'package.json')), 'the app was written');
    assert.equal(await git(['log', '--format=%s'], target), 'mine', 'the history is unchanged');
    assert.match(result.stderr, /not committed/, 'says the files were left uncommitted');
  });

  it('.DS_Store and Thumbs.db count as empty too, and stay', async () => {
    const parent = await dirs.emptyDir();
    const target = join(parent, 'my-app');
    await git(['init', '--quiet', target], parent);
    await writeFile(join(target, '.DS_Store'), 'finder');
    await writeFile(join(target, 'Thumbs.db'), 'explorer');

    const result = await runCli([target, '--yes', '--no-install', '--no-git'], { cwd: parent, env: ENV });
    assert.equal(result.code, 0, describeRun(result));
    assert.ok(existsSync(join(target, 'package.json')), 'the app was written');
    for (const kept of ['.git', '.DS_Store', 'Thumbs.db']) {
      assert.ok(existsSync(join(target, kept)), `${kept} is still there`);
    }
  });

  it('anything else beside .git still needs --force', async () => {
    const parent = await dirs.emptyDir();
    const target = join(parent, 'my-app');
    await git(['init', '--quiet', target], parent);
    await writeFile(join(target, 'notes.txt'), 'mine\n');

    const result = await runCli([target, '--yes', '--no-install', '--no-git'], { cwd: parent, env: ENV });
    assertOneLineError(result, 2, ['my-app', '--force']);
    assert.deepEqual((await readdir(target)).sort(), ['.git', 'notes.txt'], 'nothing written');
  });
});
