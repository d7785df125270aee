// Runs every case of bad-input.cases.ts through the real CLI: the exit code, one line on stderr
// that names the bad value and the fix, and a parent directory byte-for-byte as it was.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertOneLineError } from '../helpers/assertions.ts';
import { runCli } from '../helpers/cli.ts';
import { snapshotTree } from '../helpers/fs-snapshot.ts';
import { makeTempDir } from '../helpers/paths.ts';
import { BAD_INPUT, type Setup } from './bad-input.cases.ts';

const BASE = ['--yes', '--no-install', '--no-git'];
const isRoot = process.getuid?.() === 0;
const mounts: string[] = [];

/** Root ignores file modes, so a read-only directory is a read-only tmpfs mounted there. */
async function makeReadOnly(dir: string): Promise<void> {
  if (!isRoot) return chmod(dir, 0o555);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'cssa-test', dir]);
  mounts.push(dir);
}

const SETUPS: Record<Setup, (parent: string, target: string) => Promise<unknown>> = {
  'target-is-file': (_, target) => writeFile(target, 'not a directory\n'),
  'target-not-empty': async (_, target) => {
    await mkdir(target);
    await writeFile(join(target, 'notes.txt'), 'mine\n');
  },
  'target-has-our-file': async (_, target) => {
    await mkdir(target);
    await writeFile(join(target, 'package.json'), '{"name":"mine"}\n');
  },
  'parent-read-only': (parent) => makeReadOnly(parent),
  'target-read-only': async (_, target) => {
    await mkdir(target);
    await makeReadOnly(target);
  },
};

describe(`bad input (${BAD_INPUT.length} cases): a clear error, exit code, and no file touched`, () => {
  let tmp: { path: string; remove: () => Promise<void> };
  before(async () => {
    tmp = await makeTempDir('bad-input');
  });
  after(async () => {
    for (const dir of mounts) execFileSync('umount', [dir]);
    await tmp?.remove();
  });

  BAD_INPUT.forEach((testCase, index) => {
    it(testCase.name, async () => {
      const holder = join(tmp.path, `case-${index}`);
      const parent = join(holder, 'parent');
      await mkdir(parent, { recursive: true });
      const target = join(parent, 'my-app');
      await SETUPS[testCase.setup!]?.(parent, target);
      const before = await snapshotTree(holder);

      const args = testCase.raw ? testCase.args : [...testCase.args, ...BASE];
      const result = await runCli(args, { cwd: parent, env: { CI: undefined, ...testCase.env } });

      assertOneLineError(result, testCase.code ?? 2, ['error:', ...testCase.says]);
      assert.equal(result.stdout, '', 'nothing on stdout');
      for (const secret of testCase.never ?? []) assert.ok(!result.stderr.includes(secret), `stderr echoes ${secret}`);
      assert.deepEqual(await snapshotTree(holder), before, 'the parent directory changed');
    });
  });
});
