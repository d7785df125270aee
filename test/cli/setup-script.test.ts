// The generated app's `npm run setup` and the guard in `npm run dev`, run for real in an app the CLI
// wrote. Neither needs the app's dependencies, so no install: test/e2e/teammate-clone.test.ts does the
// whole clone, install, setup and dev.
import assert from 'node:assert/strict';
import { readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { envVariables, lines, ownLines } from '../helpers/assertions.ts';
import { childEnv, describeRun, runProcess } from '../helpers/cli.ts';
import { generateApp, type GeneratedApp } from '../helpers/generated-app.ts';

const SETUP_LINE = 'No .env: run npm run setup first (it writes .env from .env.example with fresh secrets).';

describe("the generated app's setup script and dev guard", () => {
  let app: GeneratedApp;
  let original: string;
  // A clean environment: nothing of ours may stand in for a variable the app should read from .env.
  const npm = (args: string[]) => runProcess('npm', args, { cwd: app.dir, env: childEnv({}, true), timeoutMs: 30_000 });

  before(async () => {
    app = await generateApp();
    original = await readFile(join(app.dir, '.env'), 'utf8');
  });
  after(() => app?.remove());

  it('setup keeps the .env the CLI wrote: one line, exit 0, not a byte changed', async () => {
    const result = await npm(['run', 'setup', '--silent']);
    assert.equal(result.code, 0, describeRun(result));
    assert.deepEqual(lines(result.stdout), [
      'Kept the existing .env: setup never replaces it (delete it and run setup again for new secrets).',
    ]);
    assert.equal(result.stderr, '');
    assert.equal(await readFile(join(app.dir, '.env'), 'utf8'), original);
  });

  it('dev without .env prints one line naming npm run setup and exits 1, before Node or --watch start', async () => {
    await rename(join(app.dir, '.env'), join(app.root, 'env.bak'));
    try {
      const silent = await npm(['run', 'dev', '--silent']);
      assert.equal(silent.code, 1, describeRun(silent));
      assert.deepEqual(lines(silent.stderr), [SETUP_LINE]);
      assert.equal(silent.stdout, '');
      const plain = await npm(['run', 'dev']);
      assert.equal(plain.code, 1, describeRun(plain));
      assert.deepEqual(ownLines(plain.stderr), [SETUP_LINE], describeRun(plain));
      assert.doesNotMatch(plain.stderr, /not found|ENOENT|node:internal/);
    } finally {
      await rename(join(app.root, 'env.bak'), join(app.dir, '.env'));
    }
  });

  it('setup writes .env from .env.example: mode 600, fresh secrets, every variable, no secret printed', async () => {
    await rm(join(app.dir, '.env'));
    const result = await npm(['run', 'setup', '--silent']);
    assert.equal(result.code, 0, describeRun(result));
    const written = await readFile(join(app.dir, '.env'), 'utf8');
    assert.equal(((await stat(join(app.dir, '.env'))).mode & 0o777).toString(8), '600');

    const before = envVariables(original);
    const after = envVariables(written);
    const example = envVariables(await readFile(join(app.dir, '.env.example'), 'utf8'));
    assert.deepEqual([...after.keys()], [...example.keys()], 'every variable of .env.example, in its order');
    assert.deepEqual([...after.keys()], [...before.keys()], "the same variables as the CLI's .env");
    assert.match(after.get('SESSION_SECRET')!, /^[A-Za-z0-9_-]{64}$/, '48 random bytes, base64url');
    assert.notEqual(after.get('SESSION_SECRET'), before.get('SESSION_SECRET'));
    assert.match(after.get('DEMO_PASSWORD')!, /^[A-Za-z0-9_-]{16}$/);
    assert.notEqual(after.get('DEMO_PASSWORD'), before.get('DEMO_PASSWORD'));
    assert.equal(after.get('NODE_ENV'), 'development');
    for (const [name, value] of before) {
      if (name !== 'SESSION_SECRET' && name !== 'DEMO_PASSWORD') assert.equal(after.get(name), value, name);
    }

    assert.deepEqual(lines(result.stdout), [
      'Wrote .env (mode 600) from .env.example: NODE_ENV=development, a new random SESSION_SECRET and DEMO_PASSWORD.',
      'Log in with the DEMO_USER and DEMO_PASSWORD in .env. Next: npm run dev',
    ]);
    assert.ok(
      !result.stdout.includes(after.get('SESSION_SECRET')!) && !result.stdout.includes(after.get('DEMO_PASSWORD')!),
      'no secret printed',
    );
  });

  it('setup run again leaves the new .env alone', async () => {
    const first = await readFile(join(app.dir, '.env'), 'utf8');
    const result = await npm(['run', 'setup', '--silent']);
    assert.equal(result.code, 0, describeRun(result));
    assert.match(result.stdout, /^Kept the existing \.env/);
    assert.equal(await readFile(join(app.dir, '.env'), 'utf8'), first);
  });

  it('setup without .env.example says so in one line and exits 1, writing nothing', async () => {
    await rm(join(app.dir, '.env'));
    await rename(join(app.dir, '.env.example'), join(app.root, 'example.bak'));
    try {
      const result = await npm(['run', 'setup', '--silent']);
      assert.equal(result.code, 1, describeRun(result));
      assert.deepEqual(lines(result.stderr), ['error: cannot read .env.example (ENOENT); .env is made from it.']);
      await assert.rejects(stat(join(app.dir, '.env')), { code: 'ENOENT' });
    } finally {
      await rename(join(app.root, 'example.bak'), join(app.dir, '.env.example'));
    }
  });
});

describe('the dev guard names the chosen package manager', () => {
  let app: GeneratedApp;
  before(async () => {
    app = await generateApp(['--pm', 'pnpm']);
    await rm(join(app.dir, '.env'));
  });
  after(() => app?.remove());

  it('pnpm: `pnpm run setup` (before pnpm 11, `pnpm setup` is its own installer)', async () => {
    const result = await runProcess(process.execPath, ['scripts/check-env.js'], {
      cwd: app.dir,
      env: childEnv({}, true),
      timeoutMs: 10_000,
    });
    assert.equal(result.code, 1, describeRun(result));
    assert.deepEqual(lines(result.stderr), [SETUP_LINE.replace('npm run setup', 'pnpm run setup')]);
  });
});
