// The other end of the choices: the memory store and no proxy. Generate the app with the real CLI,
// install it, and start it as a process the way `npm start` would. Without a proxy the app must
// serve HTTPS itself in production (its own certificate, its own HSTS header) and must never believe
// X-Forwarded-* headers; and production must refuse the memory store unless it is explicitly allowed.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { lines, STACK_LINE } from '../helpers/assertions.ts';
import { describeRun, runProcess } from '../helpers/cli.ts';
import { appProcessEnv, runAppToExit, startApp, type AppEnv, type RunningApp } from '../helpers/app-process.ts';
import { COOKIE, CSRF_COOKIE, DOMAIN, PASSWORD, USER } from '../helpers/constants.ts';
import { listFiles } from '../helpers/fs-snapshot.ts';
import { generateInstalledApp, runNpm, type GeneratedApp } from '../helpers/generated-app.ts';
import { client, CookieJar, findSetCookie, headerValues, type Client } from '../helpers/https-client.ts';
import { freePort } from '../helpers/ports.ts';
import { makeCert, type TestCert } from '../helpers/tls.ts';
import { assertCookieAttributes, sessionApi } from '../helpers/session-contract.ts';
import { sessionContractTests } from '../helpers/session-contract-suite.ts';
import { needsTools } from '../helpers/tools.ts';

const DEV_COOKIE = 'sid';

// Only openssl (for the test certificate) is needed: no proxy here. Without it: fails under CI,
// skipped (with the reason) on a developer's machine.
describe('memory store, no proxy: the app serves HTTPS itself', needsTools('openssl'), () => {
  let app: GeneratedApp | undefined;
  let appPort: number;
  let cert: TestCert | undefined;

  before(
    async () => {
      appPort = await freePort();
      const flags = ['--store', 'memory', '--proxy', 'none', '--port', String(appPort), '--domain', DOMAIN];
      app = await generateInstalledApp(flags);
      cert = await makeCert(DOMAIN);
    },
    { timeout: 10 * 60_000 },
  );

  after(async () => {
    await cert?.remove();
    await app?.remove();
  });

  const randomSecret = randomBytes(24).toString('hex'); // 48 characters

  /** Production (NODE_ENV unset), memory store allowed, the test certificate, on 127.0.0.1. */
  function prodEnv(overrides: AppEnv = {}): AppEnv {
    return {
      HOST: '127.0.0.1',
      SESSION_SECRET: randomSecret,
      DEMO_USER: USER,
      DEMO_PASSWORD: PASSWORD,
      ALLOW_MEMORY_STORE: '1',
      TLS_CERT: cert!.certPath,
      TLS_KEY: cert!.keyPath,
      ...overrides,
    };
  }

  describe('the generated tree', () => {
    it('has no deploy/nginx.conf, nor any other nginx file', async () => {
      assert.equal(
        existsSync(join(app!.dir, 'deploy', 'nginx.conf')),
        false,
        'deploy/nginx.conf should not be written with --proxy none',
      );
      const files = await listFiles(app!.dir);
      assert.deepEqual(
        files.filter((f) => /nginx/i.test(f)),
        [],
        `files: ${files.join(', ')}`,
      );
    });

    it('depends on memorystore and not on better-sqlite3', async () => {
      const pkg = JSON.parse(await readFile(join(app!.dir, 'package.json'), 'utf8')) as {
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
      const source = await readFile(join(app!.dir, 'src', 'config.js'), 'utf8');
      assert.match(source, /^\s*HOST:\s*["']0\.0\.0\.0["']/m, 'the HOST default in src/config.js');
      assert.match(source, /^\s*TRUST_PROXY:\s*["']?false["']?\s*,/m, 'the TRUST_PROXY default in src/config.js');
      // What the app actually makes of them with neither variable set.
      const configUrl = pathToFileURL(join(app!.dir, 'src', 'config.js')).href;
      const script = `const { loadConfig } = await import(${JSON.stringify(configUrl)});
        const c = loadConfig(process.env);
        console.log(JSON.stringify({ host: c.host, trustProxy: c.trustProxy, port: c.port }));`;
      const result = await runProcess(process.execPath, ['--input-type=module', '-e', script], {
        cwd: app!.dir,
        env: appProcessEnv({ NODE_ENV: 'development' }),
        timeoutMs: 10_000,
      });
      assert.equal(result.code, 0, describeRun(result));
      assert.deepEqual(JSON.parse(result.stdout.trim()), { host: '0.0.0.0', trustProxy: false, port: appPort });
    });
  });

  it("the generated app's own npm test passes", { timeout: 5 * 60_000 }, async () => {
    const result = await runNpm(app!.dir, ['test'], { timeoutMs: 4 * 60_000 });
    assert.equal(result.code, 0, `npm test in the generated app failed: ${describeRun(result)}`);
    // node --test prints "# pass N" (TAP, when piped) or "ℹ pass N" (spec): some tests must have run
    const passed = Number(/^(?:#|ℹ) pass (\d+)$/m.exec(result.stdout)?.[1] ?? 0);
    assert.ok(passed > 0, `the generated app's npm test ran no test:\n${result.stdout}`);
  });

  describe('refuses to start in production', () => {
    const cases: Array<{ title: string; env: () => AppEnv; mention: RegExp }> = [
      {
        title: 'without ALLOW_MEMORY_STORE=1 (TLS files given)',
        env: () => prodEnv({ ALLOW_MEMORY_STORE: undefined }),
        mention: /ALLOW_MEMORY_STORE/,
      },
      {
        title: 'with ALLOW_MEMORY_STORE=0',
        env: () => prodEnv({ ALLOW_MEMORY_STORE: '0' }),
        mention: /ALLOW_MEMORY_STORE/,
      },
      {
        title:
          'with ALLOW_MEMORY_STORE=1 but without TLS_CERT and TLS_KEY (a Secure cookie over HTTP never comes back)',
        env: () => prodEnv({ TLS_CERT: undefined, TLS_KEY: undefined }),
        mention: /TLS_CERT/,
      },
      {
        title: 'with TLS_CERT naming a file that does not exist',
        env: () => prodEnv({ TLS_CERT: join(cert!.dir, 'missing.crt') }),
        mention: /TLS_CERT/,
      },
    ];
    for (const { title, env, mention } of cases) {
      it(title, async () => {
        const port = await freePort();
        const result = await runAppToExit({ dir: app!.dir, env: { ...env(), PORT: String(port) }, timeoutMs: 5000 });
        assert.notEqual(result.code, 0, `the app should refuse to start: ${describeRun(result)}`);
        assert.equal(result.signal, null, `the app should exit on its own: ${describeRun(result)}`);
        const errLines = lines(result.stderr);
        assert.equal(errLines.length, 1, `expected ONE line on stderr: ${describeRun(result)}`);
        assert.match(errLines[0]!, mention, describeRun(result));
        assert.doesNotMatch(result.stderr, STACK_LINE, `no stack trace: ${result.stderr}`);
        assert.doesNotMatch(
          result.stdout + result.stderr,
          new RegExp(randomSecret),
          'the secret must never be printed',
        );
      });
    }
  });

  describe('in production, HTTPS served by the app itself', () => {
    let running: RunningApp | undefined;
    let https: Client;

    before(
      async () => {
        // No PORT: the default written from --port must be the one it listens on.
        running = await startApp({
          dir: app!.dir,
          env: prodEnv(),
          port: appPort,
          tls: { ca: cert!.cert, servername: cert!.domain },
        });
        https = client({ port: appPort, hostname: DOMAIN, ca: cert!.cert });
      },
      { timeout: 60_000 },
    );

    after(async () => {
      await running?.stop();
    });

    const api = sessionApi({ client: () => https, cookie: COOKIE, user: USER, password: PASSWORD });
    const { session, login } = api;

    it('says it listens on https on the port given with --port', () => {
      assert.match(running!.stdout(), new RegExp(`https://127\\.0\\.0\\.1:${appPort}\\b`), running!.stdout());
    });

    it('does not answer plain HTTP on its port', async () => {
      const http = client({ port: appPort, hostname: DOMAIN });
      const res = await http.get('/session', { jar: new CookieJar(), timeoutMs: 5000 }).catch((error: Error) => error);
      if (!(res instanceof Error)) {
        assert.ok(res.status >= 400, `plain HTTP should not be served: ${res.status} ${res.text}`);
        assert.deepEqual(res.setCookies, [], 'plain HTTP must never get a session cookie');
      }
    });

    sessionContractTests(api, { maxAgeS: 30 * 60, hstsPaths: ['/session', '/health', '/'], withoutDomain: true });

    describe('X-Forwarded-* from a client are not believed (TRUST_PROXY defaults to false)', () => {
      const spoofed = { 'x-forwarded-proto': 'http', 'x-forwarded-for': '1.2.3.4' };

      it(
        'X-Forwarded-Proto: http over a real TLS connection ' + 'still gets the Secure cookie, and login still works',
        async () => {
          const jar = new CookieJar();
          const { res, token } = await session(jar, spoofed);
          // Nothing breaks. (This alone cannot tell whether the header was believed: express-session counts
          // an encrypted socket as secure whatever req.secure says. The throttle test below can, via req.ip.)
          const csrf = findSetCookie(res, CSRF_COOKIE);
          assert.ok(
            csrf,
            `no ${CSRF_COOKIE} cookie with a spoofed X-Forwarded-Proto; Set-Cookie: ${JSON.stringify(res.setCookies)}`,
          );
          assert.ok(csrf.attributes.has('secure'), csrf.raw);
          const ok = await login(jar, PASSWORD, token, spoofed);
          assert.equal(ok.status, 200, `login with spoofed headers: ${ok.status} ${ok.text}`);
          const cookie = findSetCookie(ok, COOKIE);
          assert.ok(cookie, 'login with spoofed headers should set the new session cookie');
          assert.ok(cookie.attributes.has('secure'), cookie.raw);
          assert.equal((await session(jar, spoofed)).authenticated, true);
        },
      );

      // Last in this suite: it leaves 127.0.0.1 throttled for the rest of this app process.
      it('a new X-Forwarded-For on every failed login does not escape the login throttle', async () => {
        const jar = new CookieJar();
        const { token } = await session(jar);
        const statuses: number[] = [];
        for (let i = 0; i < 12; i += 1) {
          const res = await login(jar, 'not the password', token, { 'x-forwarded-for': `203.0.113.${i + 1}` });
          statuses.push(res.status);
        }
        // Throttled per real address (10 failures from 127.0.0.1), not per claimed one.
        assert.ok(
          statuses.includes(429),
          `failed logins from one real address under changing ` +
            `X-Forwarded-For were never throttled: ${statuses.join(' ')}`,
        );
        assert.deepEqual(new Set(statuses), new Set([401, 429]), `only 401 then 429 expected: ${statuses.join(' ')}`);
      });
    });
  });

  describe('in development, plain HTTP on 127.0.0.1', () => {
    let running: RunningApp | undefined;
    let http: Client;

    before(
      async () => {
        const port = await freePort();
        running = await startApp({
          dir: app!.dir,
          env: {
            NODE_ENV: 'development',
            PORT: String(port),
            HOST: '127.0.0.1',
            SESSION_SECRET: randomSecret,
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
