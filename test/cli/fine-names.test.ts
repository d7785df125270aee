// Names that are fine but need a directory other than the package name: the project lands where
// the user pointed, and package.json carries the right name.
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describeRun, runCli } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/paths.ts';
import { FINE_NAMES } from './bad-input.cases.ts';

describe('fine names whose directory differs from the package name', () => {
  let tmp: { path: string; remove: () => Promise<void> };
  before(async () => {
    tmp = await makeTempDir('fine-names');
  });
  after(async () => {
    await tmp?.remove();
  });

  FINE_NAMES.forEach((testCase, index) => {
    it(testCase.name, async () => {
      const cwd = join(tmp.path, `case-${index}`);
      await mkdir(cwd);
      const result = await runCli([testCase.input, '--yes', '--no-install', '--no-git', '--json'], {
        cwd,
        env: { CI: undefined },
      });
      assert.equal(result.code, 0, describeRun(result));
      const report = JSON.parse(result.stdout) as { directory: string; packageName: string };
      assert.equal(report.directory, join(cwd, testCase.dir));
      assert.equal(report.packageName, testCase.packageName);
      const manifest = JSON.parse(await readFile(join(cwd, testCase.dir, 'package.json'), 'utf8')) as { name: string };
      assert.equal(manifest.name, testCase.packageName);
    });
  });
});
