// A teammate's first minutes: the app generated with git (as users get it by default), cloned with
// `git clone` (so no .env, no node_modules, nothing gitignored), installed, then run the way its README
// says: `npm run dev` without .env names `npm run setup`; setup writes .env; dev then serves /health.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { envVariables, lines, ownLines } from '../helpers/assertions.ts';
import { childEnv, describeRun, runProcess } from '../helpers/cli.ts';
import { generateApp, installDeps, type GeneratedApp } from '../helpers/generated-app.ts';
import { freePort } from '../helpers/ports.ts';
import { exited, GiveUp, terminate, track, waitFor } from '../helpers/processes.ts';
import { needsTools } from '../helpers/tools.ts';

const SETUP_LINE = 'No .env: run npm run setup first (it writes .env from .env.example with fresh secrets).';

function healthStatus(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/health', agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('timeout', () => req.destroy(new Error('health request timed out')));
    req.once('error', reject);
  });
}

describe("a teammate's clone of a generated app", needsTools('git'), () => {
  let app: GeneratedApp | undefined;
  let clone: string;
  let port: number;
  let originalEnv: string;
  // Nothing of the test run's environment may stand in for what the app should read from .env.
  const env = () => childEnv({}, true);
  const npm = (args: string[]) => runProcess('npm', args, { cwd: clone, env: env(), timeoutMs: 60_000 });

  before(
    async () => {
      port = await freePort();
      app = await generateApp(['--port', String(port)], { git: true });
      originalEnv = await readFile(join(app.dir, '.env'), 'utf8');
      clone = join(app.root, 'clone');
      const cloned = await runProcess('git', ['clone', '--quiet', app.dir, clone], {
        cwd: app.root,
        env: env(),
        timeoutMs: 60_000,
      });
      assert.equal(cloned.code, 0, describeRun(cloned));
      const install = await installDeps(clone);
      console.log(
        `# dependencies ${install.installed ? 'installed' : 'from cache'} in ` +
          `${install.durationMs} ms (${install.cacheDir})`,
      );
    },
    { timeout: 10 * 60_000 },
  );
  after(() => app?.remove());

  it('the clone has .env.example but no .env', async () => {
    await stat(join(clone, '.env.example'));
    await assert.rejects(stat(join(clone, '.env')), { code: 'ENOENT' });
  });

  it('npm run dev without .env: one line naming npm run setup, exit 1, no Node error', async () => {
    const result = await npm(['run', 'dev']);
    assert.equal(result.code, 1, describeRun(result));
    assert.deepEqual(ownLines(result.stderr), [SETUP_LINE], describeRun(result));
    assert.doesNotMatch(result.stderr, /\.env: not found|node:internal|^\s+at /m);
  });

  it('npm run setup writes .env: mode 600, a fresh secret, every variable of .env.example', async () => {
    const result = await npm(['run', 'setup']);
    assert.equal(result.code, 0, describeRun(result));
    assert.match(result.stdout, /^Wrote \.env \(mode 600\) from \.env\.example/m);
    const envPath = join(clone, '.env');
    assert.equal(((await stat(envPath)).mode & 0o777).toString(8), '600');
    const written = envVariables(await readFile(envPath, 'utf8'));
    const original = envVariables(originalEnv);
    const example = envVariables(await readFile(join(clone, '.env.example'), 'utf8'));
    assert.deepEqual([...written.keys()], [...example.keys()]);
    assert.match(written.get('SESSION_SECRET')!, /^[A-Za-z0-9_-]{64}$/);
    assert.notEqual(
      written.get('SESSION_SECRET'),
      original.get('SESSION_SECRET'),
      "a fresh secret, not the generator's",
    );
    assert.notEqual(written.get('DEMO_PASSWORD'), original.get('DEMO_PASSWORD'));
    assert.equal(written.get('PORT'), String(port));
    assert.ok(!result.stdout.includes(written.get('SESSION_SECRET')!), 'the secret is never printed');
  });

  it('then npm run dev starts the app in development: GET /health answers 200', { timeout: 60_000 }, async () => {
    // detached: its own process group (npm, the shell, node --watch and the app), stopped as one
    const child = track(
      spawn('npm', ['run', 'dev'], { cwd: clone, env: env(), stdio: ['ignore', 'pipe', 'pipe'], detached: true }),
      { group: true },
    );
    let output = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    let gone = false;
    const done = exited(child).then(() => (gone = true));
    try {
      await waitFor(
        `GET http://127.0.0.1:${port}/health from npm run dev`,
        async () => {
          if (gone) throw new GiveUp(`npm run dev exited:\n${output}`);
          const status = await healthStatus(port);
          if (status !== 200) throw new Error(`/health answered ${status}`);
          return true;
        },
        { timeoutMs: 30_000 },
      );
      assert.match(output, /listening on http:\/\/127\.0\.0\.1:\d+ \(development\)/, output);
      assert.doesNotMatch(output, /^warning: (SESSION_SECRET|DEMO_PASSWORD)/m, `.env was loaded: ${output}`);
    } finally {
      await terminate(child, 5000);
      await done;
    }
  });

  it('npm run setup again keeps that .env: one line, exit 0, unchanged', async () => {
    const before = await readFile(join(clone, '.env'), 'utf8');
    const result = await npm(['run', 'setup', '--silent']);
    assert.equal(result.code, 0, describeRun(result));
    assert.deepEqual(lines(result.stdout), [
      'Kept the existing .env: setup never replaces it (delete it and run setup again for new secrets).',
    ]);
    assert.equal(await readFile(join(clone, '.env'), 'utf8'), before);
  });
});
