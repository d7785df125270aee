// The strongest test: generate the app with the default choices (sqlite store, nginx proxy), install
// it, put real nginx with TLS in front of it using the generated deploy/nginx.conf, and use it over
// HTTPS the way a browser would. Its own `npm test` runs in node-versions.test.ts, on every Node line
// (this one included), so it is not run twice here.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { lines, STACK_LINE } from '../helpers/assertions.ts';
import { describeRun } from '../helpers/cli.ts';
import { addUser, runAppToExit, startApp, type AppEnv, type RunningApp } from '../helpers/app-process.ts';
import { COOKIE, DOMAIN, PASSWORD, USER } from '../helpers/constants.ts';
import { generateInstalledApp, type GeneratedApp } from '../helpers/generated-app.ts';
import { client, CookieJar, type Client } from '../helpers/https-client.ts';
import { nginxTest, prepareNginx, startNginx, type NginxPrefix, type RunningNginx } from '../helpers/nginx.ts';
import { freePort } from '../helpers/ports.ts';
import { makeCert, type TestCert } from '../helpers/tls.ts';
import { sessionApi } from '../helpers/session-contract.ts';
import { sessionContractTests } from '../helpers/session-contract-suite.ts';
import { needsTools } from '../helpers/tools.ts';

// Without nginx: fails under CI, skipped (with the reason) on a developer's machine.
describe('default app (sqlite + nginx) end to end', needsTools('nginx', 'openssl'), () => {
  let app: GeneratedApp | undefined;
  let appPort: number;
  let cert: TestCert | undefined;
  let site: NginxPrefix | undefined;

  before(
    async () => {
      appPort = await freePort();
      app = await generateInstalledApp(['--port', String(appPort), '--domain', DOMAIN, '--max-age', '30m']);
      cert = await makeCert(DOMAIN);
      site = await prepareNginx({ siteConfPath: join(app.dir, 'deploy', 'nginx.conf'), cert });
      // as the README's production quick start does
      await addUser(app.dir, appEnv(), { name: USER, password: PASSWORD });
    },
    { timeout: 10 * 60_000 },
  );

  after(async () => {
    await site?.remove();
    await cert?.remove();
    await app?.remove();
  });

  const randomSecret = randomBytes(24).toString('hex'); // 48 characters

  function appEnv(overrides: AppEnv = {}): AppEnv {
    return {
      PORT: String(appPort),
      HOST: '127.0.0.1',
      SESSION_SECRET: randomSecret,
      SQLITE_PATH: join(app!.root, 'sessions.db'),
      ...overrides,
    };
  }

  describe('deploy/nginx.conf', () => {
    it('listens on 80 and 443, with the placeholder certificate paths for the domain', () => {
      const r = site!.rewrite;
      assert.ok(r.httpListens >= 1, `no "listen 80" line; rewrites: ${r.changes.join('\n')}`);
      assert.ok(r.httpsListens >= 1, `no "listen 443" line; rewrites: ${r.changes.join('\n')}`);
      assert.deepEqual(r.certificates, [`/etc/ssl/certs/${DOMAIN}.crt`]);
      assert.deepEqual(r.certificateKeys, [`/etc/ssl/private/${DOMAIN}.key`]);
    });

    it('proxies to the port given with --port', async () => {
      const conf = await readFile(join(app!.dir, 'deploy', 'nginx.conf'), 'utf8');
      assert.match(conf, new RegExp(`:${appPort}\\b`), `deploy/nginx.conf should send traffic to port ${appPort}`);
    });

    it('passes nginx -t with the test certificate', async () => {
      const result = await nginxTest(site!);
      assert.equal(
        result.code,
        0,
        `nginx -t failed:\n${result.stderr}\n--- site.conf as tested ---\n${site!.rewrite.text}`,
      );
    });
  });

  describe('in production over HTTPS through nginx', () => {
    let running: RunningApp | undefined;
    let nginx: RunningNginx | undefined;
    let https: Client;
    let http: Client;

    before(
      async () => {
        running = await startApp({ dir: app!.dir, env: appEnv() });
        nginx = await startNginx(site!);
        https = client({ port: site!.httpsPort, hostname: DOMAIN, ca: cert!.cert });
        http = client({ port: site!.httpPort, hostname: DOMAIN });
      },
      { timeout: 60_000 },
    );

    after(async () => {
      await nginx?.stop();
      await running?.stop();
    });

    const api = sessionApi({ client: () => https, cookie: COOKIE, user: USER, password: PASSWORD });
    const { session, login } = api;

    sessionContractTests(api, { maxAgeS: 30 * 60, hstsPaths: ['/session', '/health'], wrongPassword: true });

    for (const path of ['/health', '/']) {
      it(`GET ${path} sets no cookie`, async () => {
        const res = await https.get(path, { jar: new CookieJar() });
        assert.ok(res.status < 400, `GET ${path}: ${res.status} ${res.text}`);
        assert.deepEqual(res.setCookies, [], `GET ${path} should not set a cookie`);
      });
    }

    it('plain HTTP on the port-80 server redirects to https with 301', async () => {
      const res = await http.get('/session?x=1');
      assert.equal(res.status, 301);
      assert.match(
        String(res.headers.location),
        new RegExp(`^https://${DOMAIN.replace('.', '\\.')}(:\\d+)?/session\\?x=1$`),
      );
      assert.deepEqual(res.setCookies, []);
    });

    it('a session survives a restart of the app (sqlite store)', { timeout: 60_000 }, async () => {
      const jar = new CookieJar();
      const { token } = await session(jar);
      assert.equal((await login(jar, PASSWORD, token)).status, 200);
      assert.equal((await session(jar)).authenticated, true);

      await running!.stop();
      running = undefined;
      running = await startApp({ dir: app!.dir, env: appEnv() });

      assert.equal(
        (await session(jar)).authenticated,
        true,
        'the same cookie should still be logged in after a restart',
      );
    });
  });

  it(
    'refuses to start in production with DEMO_USER or ' + 'DEMO_PASSWORD set, in one line pointing at user:add',
    async () => {
      for (const demo of [{ DEMO_PASSWORD: PASSWORD }, { DEMO_USER: USER }]) {
        const result = await runAppToExit({
          dir: app!.dir,
          env: appEnv({ ...demo, PORT: String(await freePort()) }),
          timeoutMs: 5000,
        });
        assert.equal(result.code, 1, describeRun(result));
        assert.deepEqual(lines(result.stderr).length, 1, `expected ONE line on stderr: ${describeRun(result)}`);
        assert.match(
          result.stderr,
          /^error: DEMO_USER and DEMO_PASSWORD are for development only.*npm run user:add -- <name>$/m,
        );
        assert.ok(!result.stderr.includes(PASSWORD), 'the password is never printed');
      }
    },
  );

  describe('refuses to start in production with a weak secret', () => {
    const cases: Array<[string, string | undefined]> = [
      ['without SESSION_SECRET', undefined],
      ['with a 10-character SESSION_SECRET', 'abcdefghij'],
    ];
    for (const [title, secret] of cases) {
      it(title, async () => {
        const port = await freePort();
        const result = await runAppToExit({
          dir: app!.dir,
          env: appEnv({ SESSION_SECRET: secret, PORT: String(port) }),
          timeoutMs: 5000,
        });
        assert.notEqual(result.code, 0, `the app should refuse to start: ${describeRun(result)}`);
        const errLines = lines(result.stderr);
        assert.equal(errLines.length, 1, `expected ONE line on stderr: ${describeRun(result)}`);
        assert.match(errLines[0]!, /SESSION_SECRET/, describeRun(result));
        assert.doesNotMatch(result.stderr, STACK_LINE, `no stack trace: ${result.stderr}`);
      });
    }
  });
});
