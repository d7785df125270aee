// The other end of the choices: the memory store and no proxy (the app: helpers/memory-none-app.ts),
// generated with the real CLI, installed, and started as a process the way `npm start` would. Here:
// the generated tree, the app's own npm test, and development over plain HTTP. Production:
// memory-none-production.test.ts.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { appProcessEnv, startApp, type RunningApp } from '../helpers/app-process.ts';
import { describeRun, runProcess } from '../helpers/cli.ts';
import { COOKIE, PASSWORD, USER } from '../helpers/constants.ts';
import { listFiles } from '../helpers/fs-snapshot.ts';
import { runNpm } from '../helpers/generated-app.ts';
import { client, CookieJar, findSetCookie, headerValues, type Client } from '../helpers/https-client.ts';
import { memoryNoneApp } from '../helpers/memory-none-app.ts';
import { freePort } from '../helpers/ports.ts';
import { assertCookieAttributes } from '../helpers/session-contract.ts';
import { needsTools } from '../helpers/tools.ts';

const DEV_COOKIE = 'sid';

// Only openssl (for the test certificate) is needed: no proxy here. Without it: fails under CI,
// skipped (with the reason) on a developer's machine.
describe('memory store, no proxy: the app serves HTTPS itself', needsTools('openssl'), () => {
  const fixture = memoryNoneApp();

  describe('the generated tree', () => {
    it('has no deploy/nginx.conf, nor any other nginx file', async () => {
      assert.equal(
        existsSync(join(fixture.app.dir, 'deploy', 'nginx.conf')),
        false,
        'deploy/nginx.conf should not be written with --proxy none',
      );
      const files = await listFiles(fixture.app.dir);
      assert.deepEqual(
        files.filter((f) => /nginx/i.test(f)),
        [],
        `files: ${files.join(', ')}`,
      );
    });

    it('depends on memorystore and not on better-sqlite3', async () => {
      const pkg = JSON.parse(await readFile(join(fixture.app.dir, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
      };
      assert.ok(pkg.dependencies?.memorystore, `memorystore missing: ${JSON.stringify(pkg.dependencies)}`);
      assert.equal(
        pkg.dependencies?.['better-sqlite3'],
        undefined,
        `better-sqlite3 should not be a dependency: ${JSON.stringify(pkg.dependencies)}`,
      );
    });

    it('src/config.js defaults HOST to 0.0.0.0 and TRUST_PROXY to false', async () => {
      const source = await readFile(join(fixture.app.dir, 'src', 'config.js'), 'utf8');
      assert.match(source, /^\s*HOST:\s*["']0\.0\.0\.0["']/m, 'the HOST default in src/config.js');
      assert.match(source, /^\s*TRUST_PROXY:\s*["']?false["']?\s*,/m, 'the TRUST_PROXY default in src/config.js');
      // What the app actually makes of them with neither variable set.
      const configUrl = pathToFileURL(join(fixture.app.dir, 'src', 'config.js')).href;
      const script = `const { loadConfig } = await import(${JSON.stringify(configUrl)});
        const c = loadConfig(process.env);
        console.log(JSON.stringify({ host: c.host, trustProxy: c.trustProxy, port: c.port }));`;
      const result = await runProcess(process.execPath, ['--input-type=module', '-e', script], {
        cwd: fixture.app.dir,
        env: appProcessEnv({ NODE_ENV: 'development' }),
        timeoutMs: 10_000,
      });
      assert.equal(result.code, 0, describeRun(result));
      assert.deepEqual(JSON.parse(result.stdout.trim()), { host: '0.0.0.0', trustProxy: false, port: fixture.appPort });
    });
  });

  it("the generated app's own npm test passes", { timeout: 5 * 60_000 }, async () => {
    const result = await runNpm(fixture.app.dir, ['test'], { timeoutMs: 4 * 60_000 });
    assert.equal(result.code, 0, `npm test in the generated app failed: ${describeRun(result)}`);
    // node --test prints "# pass N" (TAP, when piped) or "ℹ pass N" (spec): some tests must have run
    const passed = Number(/^(?:#|ℹ) pass (\d+)$/m.exec(result.stdout)?.[1] ?? 0);
    assert.ok(passed > 0, `the generated app's npm test ran no test:\n${result.stdout}`);
  });

  describe('in development, plain HTTP on 127.0.0.1', () => {
    let running: RunningApp | undefined;
    let http: Client;

    before(
      async () => {
        const port = await freePort();
        running = await startApp({
          dir: fixture.app.dir,
          env: {
            NODE_ENV: 'development',
            PORT: String(port),
            HOST: '127.0.0.1',
            SESSION_SECRET: fixture.secret,
            DEMO_USER: USER,
            DEMO_PASSWORD: PASSWORD,
          },
        });
        http = client({ port, hostname: 'localhost' });
      },
      { timeout: 60_000 },
    );

    after(async () => {
      await running?.stop();
    });

    it('says it listens on http', () => {
      assert.match(running!.stdout(), new RegExp(`http://127\\.0\\.0\\.1:${running!.port}\\b`), running!.stdout());
    });

    it(
      `login sets ${DEV_COOKIE}: HttpOnly, SameSite=Lax, Path=/, NOT ` +
        `Secure; the anonymous token's csrf cookie likewise; no HSTS`,
      async () => {
        const jar = new CookieJar();
        const res = await http.get('/session', { jar });
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(
          res.setCookies.map((c) => c.split('=')[0]),
          ['csrf'],
          `an anonymous GET /session sets only the token's cookie, csrf: ${JSON.stringify(res.setCookies)}`,
        );
        const csrf = findSetCookie(res, 'csrf')!;
        assertCookieAttributes(csrf, { secure: false, sameSite: 'strict' });
        const token = (res.json as { csrfToken?: string } | undefined)?.csrfToken;
        const login = await http.post('/login', {
          jar,
          json: { username: USER, password: PASSWORD },
          headers: { 'x-csrf-token': token! },
        });
        assert.equal(login.status, 200, `${login.status} ${login.text}`);
        assert.equal(
          findSetCookie(login, COOKIE),
          undefined,
          `no ${COOKIE} in development: ${JSON.stringify(login.setCookies)}`,
        );
        const cookie = findSetCookie(login, DEV_COOKIE);
        assert.ok(cookie, `no ${DEV_COOKIE} cookie; Set-Cookie: ${JSON.stringify(login.setCookies)}`);
        assertCookieAttributes(cookie, { secure: false });
        for (const path of ['/session', '/health', '/']) {
          const r = path === '/session' ? res : await http.get(path);
          assert.deepEqual(headerValues(r, 'strict-transport-security'), [], `GET ${path}: no HSTS in development`);
        }
      },
    );

    it('login works over plain HTTP (the cookie comes back)', async () => {
      const jar = new CookieJar();
      const first = await http.get('/session', { jar });
      const token = (first.json as { csrfToken?: string } | undefined)?.csrfToken;
      assert.equal(typeof token, 'string', first.text);
      assert.equal(jar.get(DEV_COOKIE), undefined, 'no session before login');
      const ok = await http.post('/login', {
        jar,
        json: { username: USER, password: PASSWORD },
        headers: { 'x-csrf-token': token! },
      });
      assert.equal(ok.status, 200, `${ok.status} ${ok.text}`);
      assert.ok(jar.get(DEV_COOKIE), 'login sets the session cookie');
      const after = await http.get('/session', { jar });
      assert.equal((after.json as { authenticated?: boolean }).authenticated, true, after.text);
    });
  });
});
