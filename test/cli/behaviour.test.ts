// The CLI as a user's shell runs it: a real process, stdio as pipes (no TTY), exit codes and files.
// No dependency is installed here, so these tests are fast.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertOneLineError, STACK_LINE } from '../helpers/assertions.ts';
import { describeRun, runCli } from '../helpers/cli.ts';
import { snapshotTree } from '../helpers/fs-snapshot.ts';
import { makeTempDir } from '../helpers/paths.ts';

const BASE = ['--yes', '--no-install', '--no-git'];
/** Run "as a developer": an outer CI variable must not change what the CLI does. */
const DEV_ENV = { CI: undefined };

describe('create-secure-session-app CLI', () => {
  let tmp: { path: string; remove: () => Promise<void> };
  before(async () => {
    tmp = await makeTempDir('cli');
  });
  after(async () => {
    await tmp?.remove();
  });

  /** A fresh, empty parent directory per test, so "nothing written" is checkable by listing it. */
  let counter = 0;
  async function parentDir(): Promise<string> {
    const dir = join(tmp.path, `case-${++counter}`);
    await mkdir(dir);
    return dir;
  }

  describe('--dry-run', () => {
    it('lists the files it would write and writes nothing', async () => {
      const parent = await parentDir();
      const target = join(parent, 'my-app');
      const result = await runCli([target, '--dry-run', ...BASE], { cwd: parent, env: DEV_ENV });
      assert.equal(result.code, 0, describeRun(result));
      for (const file of ['package.json', '.env', 'nginx.conf']) {
        assert.ok(result.stdout.includes(file), `--dry-run output should list ${file}:\n${result.stdout}`);
      }
      assert.equal(existsSync(target), false, 'the target directory must not exist after --dry-run');
      assert.deepEqual(await readdir(parent), [], 'nothing at all may be written next to the target');
    });

    it('with --json prints exactly one JSON object on stdout and writes nothing', async () => {
      const parent = await parentDir();
      const target = join(parent, 'my-app');
      const result = await runCli([target, '--dry-run', '--json', ...BASE], { cwd: parent, env: DEV_ENV });
      assert.equal(result.code, 0, describeRun(result));
      let parsed: unknown;
      assert.doesNotThrow(
        () => (parsed = JSON.parse(result.stdout)),
        `stdout is not one JSON document:\n${result.stdout}`,
      );
      assert.ok(
        parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed),
        'stdout should be a JSON object',
      );
      assert.ok(
        JSON.stringify(parsed).includes('package.json'),
        `the JSON should name the planned files: ${result.stdout}`,
      );
      assert.equal(existsSync(target), false, 'the target directory must not exist after --dry-run --json');
    });

    it("with --json names the language and the TypeScript app's files", async () => {
      const parent = await parentDir();
      const result = await runCli([join(parent, 'my-app'), '--dry-run', '--json', '--typescript', ...BASE], {
        cwd: parent,
        env: DEV_ENV,
      });
      assert.equal(result.code, 0, describeRun(result));
      const parsed = JSON.parse(result.stdout) as { options: { typescript: boolean }; files: string[] };
      assert.equal(parsed.options.typescript, true);
      for (const file of ['src/server.ts', 'scripts/setup.ts', 'tsconfig.json'])
        assert.ok(parsed.files.includes(file), file);
    });
  });

  describe('refuses bad input with exit 2, one line on stderr, and writes nothing', () => {
    it('a non-empty target without --force leaves it byte-for-byte identical', async () => {
      const parent = await parentDir();
      const target = join(parent, 'existing');
      await mkdir(join(target, 'src'), { recursive: true });
      await mkdir(join(target, '.git'));
      await writeFile(join(target, 'package.json'), '{"name":"mine","private":true}\n');
      await writeFile(join(target, 'src', 'server.js'), 'console.log("my own server");\n');
      await writeFile(join(target, '.git', 'HEAD'), 'ref: refs/heads/main\n');
      await writeFile(join(target, '.env'), 'SESSION_SECRET=keep-me\n', { mode: 0o600 });
      const before = await snapshotTree(target);

      const result = await runCli([target, ...BASE], { cwd: parent, env: DEV_ENV });
      assertOneLineError(result, 2, ['existing', '--force']);
      assert.deepEqual(await snapshotTree(target), before, 'the existing directory was changed');
      assert.deepEqual(await readdir(parent), ['existing'], 'nothing may be written next to the target');
    });

    for (const name of ['My App', 'node_modules', '.hidden']) {
      it(`an invalid project name: ${JSON.stringify(name)}`, async () => {
        const parent = await parentDir();
        const result = await runCli([join(parent, name), ...BASE], { cwd: parent, env: DEV_ENV });
        assertOneLineError(result, 2, [name]);
        assert.deepEqual(await readdir(parent), [], `nothing may be written for ${JSON.stringify(name)}`);
      });
    }

    it('an unknown flag', async () => {
      const parent = await parentDir();
      const result = await runCli([join(parent, 'my-app'), '--no-such-flag', ...BASE], { cwd: parent, env: DEV_ENV });
      assertOneLineError(result, 2, ['--no-such-flag']);
      assert.deepEqual(await readdir(parent), []);
    });

    it('an unknown value: --store nope', async () => {
      const parent = await parentDir();
      const result = await runCli([join(parent, 'my-app'), '--store', 'nope', ...BASE], { cwd: parent, env: DEV_ENV });
      // names the bad value and the fix (the values that are accepted)
      assertOneLineError(result, 2, ['nope', 'sqlite']);
      assert.deepEqual(await readdir(parent), []);
    });
  });

  it('without a TTY and without --yes it never prompts: takes the defaults and says so on stderr', async () => {
    const parent = await parentDir();
    const target = join(parent, 'my-app');
    // stdin is a pipe left open and never written: a prompt would wait for ever (the timeout fails it)
    const result = await runCli([target, '--no-install', '--no-git'], {
      cwd: parent,
      env: DEV_ENV,
      stdin: 'open',
      timeoutMs: 30_000,
    });
    assert.equal(result.code, 0, describeRun(result));
    assert.match(result.stderr, /default/i, `stderr should say that defaults were taken:\n${result.stderr}`);
    assert.match(result.stderr, /sqlite/i, `stderr should name the default store it took:\n${result.stderr}`);
    assert.doesNotMatch(result.stderr, STACK_LINE);
    assert.ok(existsSync(join(target, 'package.json')), 'the app should have been written with the defaults');
  });

  it(
    'installs a second time when the manager wrote no lockfile (yarn 1 after installing node-gyp)',
    { skip: process.platform === 'win32' && 'a POSIX shell script stands in for yarn' },
    async () => {
      const parent = await parentDir();
      const bin = join(parent, 'bin');
      await mkdir(bin);
      // A yarn that writes yarn.lock from its second run on, and notes every run.
      const calls = join(parent, 'calls');
      await writeFile(
        join(bin, 'yarn'),
        `#!/bin/sh\necho run >> '${calls}'\n[ "$(wc -l < '${calls}')" -ge 2 ] && : > yarn.lock\nexit 0\n`,
        { mode: 0o755 },
      );
      const result = await runCli([join(parent, 'my-app'), '--yes', '--no-git', '--pm', 'yarn'], {
        cwd: parent,
        env: { ...DEV_ENV, PATH: `${bin}:${process.env.PATH}` },
      });
      assert.equal(result.code, 0, describeRun(result));
      assert.ok(existsSync(join(parent, 'my-app', 'yarn.lock')), 'yarn.lock after the second install');
      assert.equal((await readFile(calls, 'utf8')).trim().split('\n').length, 2, 'yarn ran twice');
    },
  );

  describe('--yes --no-install --no-git writes the app', () => {
    let target: string;
    before(async () => {
      const parent = await parentDir();
      target = join(parent, 'my-app');
      const result = await runCli([target, ...BASE], { cwd: parent, env: DEV_ENV });
      assert.equal(result.code, 0, describeRun(result));
    });

    it('package.json parses and is named after the directory', async () => {
      const pkg = JSON.parse(await readFile(join(target, 'package.json'), 'utf8')) as Record<string, unknown>;
      assert.equal(pkg.name, 'my-app');
      assert.equal(typeof pkg.scripts, 'object');
    });

    it('.env is readable by its owner only (mode 600) and ignored by git', async () => {
      const mode = (await stat(join(target, '.env'))).mode & 0o777;
      assert.equal(mode.toString(8), '600', '.env holds the session secret');
      const ignored = (await readFile(join(target, '.gitignore'), 'utf8')).split(/\r?\n/).map((l) => l.trim());
      assert.ok(
        ignored.includes('.env') || ignored.includes('/.env'),
        `.gitignore should list .env:\n${ignored.join('\n')}`,
      );
    });

    it('writes deploy/nginx.conf for the default proxy', () => {
      assert.ok(existsSync(join(target, 'deploy', 'nginx.conf')));
    });

    it('neither installs nor initialises git when told not to', () => {
      assert.equal(existsSync(join(target, 'node_modules')), false);
      assert.equal(existsSync(join(target, '.git')), false);
    });
  });
});
