// The proxy setups besides nginx and none, each generated with the real CLI, installed and started
// in production the way `npm start` would (and, first, nginx's refusal of unknown host names):
//   - nginx: the generated deploy/nginx.conf's default servers, without the app
//   - caddy: real Caddy in front, from the generated deploy/Caddyfile (test/helpers/caddy.ts)
//   - paas: the test client plays the platform's router, one hop in front of the app
//   - custom: the test client plays a proxy at the address given with --trust-proxy (127.0.0.2),
//     and a client at another address (127.0.0.1) is not believed
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addUser, startApp, type AppEnv, type RunningApp } from '../helpers/app-process.ts';
import {
  caddyFmt,
  caddyValidate,
  prepareCaddy,
  startCaddy,
  type CaddyPrefix,
  type RunningCaddy,
} from '../helpers/caddy.ts';
import { describeRun } from '../helpers/cli.ts';
import { COOKIE, CSRF_COOKIE, DOMAIN, PASSWORD, USER } from '../helpers/constants.ts';
import { generateApp, installDeps, type GeneratedApp } from '../helpers/generated-app.ts';
import { client, CookieJar, headerValues, type Client } from '../helpers/https-client.ts';
import { freePort } from '../helpers/ports.ts';
import { prepareNginx, startNginx, type NginxPrefix, type RunningNginx } from '../helpers/nginx.ts';
import { failedLogins, loginThrough } from '../helpers/proxy-requests.ts';
import { assertOneHsts, assertSetsHostCookie } from '../helpers/session-contract.ts';
import { makeCert, tlsVersion, type TestCert } from '../helpers/tls.ts';
import { needsTools } from '../helpers/tools.ts';

/** The anonymous CSRF token's cookie (GET /session sets it instead of a session cookie), Strict. */
const ANONYMOUS = { name: CSRF_COOKIE, sameSite: 'strict' } as const;

const secret = () => randomBytes(24).toString('hex');

describe('--proxy nginx: unknown host names never reach the app', needsTools('nginx', 'openssl'), () => {
  let app: GeneratedApp | undefined;
  let cert: TestCert | undefined;
  let site: NginxPrefix | undefined;
  let nginx: RunningNginx | undefined;

  before(
    async () => {
      // No app behind it: whatever is not refused answers 502, so a refusal is plain to see.
      app = await generateApp(['--port', String(await freePort()), '--domain', DOMAIN]);
      cert = await makeCert(DOMAIN);
      site = await prepareNginx({ siteConfPath: join(app.dir, 'deploy', 'nginx.conf'), cert });
      nginx = await startNginx(site);
    },
    { timeout: 60_000 },
  );

  after(async () => {
    await nginx?.stop();
    await site?.remove();
    await cert?.remove();
    await app?.remove();
  });

  it('keeps default_server on the rewritten listen lines', () => {
    assert.ok(
      site!.rewrite.changes.some((c) => /-> listen 127\.0\.0\.1:\d+ default_server;$/.test(c)),
      site!.rewrite.changes.join('\n'),
    );
    assert.ok(
      site!.rewrite.changes.some((c) => /-> listen 127\.0\.0\.1:\d+ ssl default_server;$/.test(c)),
      site!.rewrite.changes.join('\n'),
    );
  });

  it('port 80: another Host gets no answer (444); the domain is redirected', async () => {
    await assert.rejects(client({ port: site!.httpPort, hostname: 'other.test' }).get('/session'));
    await assert.rejects(
      client({ port: site!.httpPort, hostname: DOMAIN, headers: { host: '127.0.0.1' } }).get('/session'),
    );
    assert.equal((await client({ port: site!.httpPort, hostname: DOMAIN }).get('/session')).status, 301);
  });

  it('port 443: the TLS handshake for another name is refused', async () => {
    await assert.rejects(client({ port: site!.httpsPort, hostname: 'other.test', ca: cert!.cert }).get('/session'));
    await assert.rejects(tlsVersion(site!.httpsPort, 'other.test', cert!.cert, 'TLSv1.3'));
  });

  it('port 443: a connection for the domain that names another Host gets no answer (444)', async () => {
    const forged = client({ port: site!.httpsPort, hostname: DOMAIN, ca: cert!.cert, headers: { host: 'other.test' } });
    await assert.rejects(forged.get('/session'));
    // the same connection with the right Host reaches the site (502: no app is running)
    assert.equal(
      (await client({ port: site!.httpsPort, hostname: DOMAIN, ca: cert!.cert }).get('/session')).status,
      502,
    );
  });

  it('the default server does not narrow TLS for the site: TLS 1.3 and 1.2 are both offered', async () => {
    assert.equal(await tlsVersion(site!.httpsPort, DOMAIN, cert!.cert, 'TLSv1.3'), 'TLSv1.3');
    assert.equal(await tlsVersion(site!.httpsPort, DOMAIN, cert!.cert, 'TLSv1.2'), 'TLSv1.2');
  });
});

describe('--proxy caddy: the app behind real Caddy', needsTools('caddy', 'openssl'), () => {
  let app: GeneratedApp | undefined;
  let appPort: number;
  let cert: TestCert | undefined;
  let site: CaddyPrefix | undefined;
  let running: RunningApp | undefined;
  let caddy: RunningCaddy | undefined;
  let https: Client;
  let http: Client;

  before(
    async () => {
      appPort = await freePort();
      app = await generateApp(['--proxy', 'caddy', '--port', String(appPort), '--domain', DOMAIN]);
      await installDeps(app.dir);
      cert = await makeCert(DOMAIN);
      site = await prepareCaddy({ caddyfilePath: join(app.dir, 'deploy', 'Caddyfile'), cert });
      // production takes no password from the environment
      await addUser(app.dir, productionEnv(app, appPort), { name: USER, password: PASSWORD });
      running = await startApp({ dir: app.dir, env: productionEnv(app, appPort), port: appPort });
      caddy = await startCaddy(site);
      https = client({ port: site.httpsPort, hostname: DOMAIN, ca: cert.cert });
      http = client({ port: site.httpPort, hostname: DOMAIN });
    },
    { timeout: 10 * 60_000 },
  );

  after(async () => {
    await caddy?.stop();
    await running?.stop();
    await site?.remove();
    await cert?.remove();
    await app?.remove();
  });

  it('deploy/Caddyfile: one site for the domain, proxying to the app on 127.0.0.1:<port>', () => {
    assert.deepEqual(site!.rewrite.siteAddresses, [DOMAIN]);
    assert.deepEqual(site!.rewrite.upstreams, [`127.0.0.1:${appPort}`]);
  });

  it('deploy/Caddyfile passes caddy validate as generated, and is formatted as caddy fmt formats it', async () => {
    const path = join(app!.dir, 'deploy', 'Caddyfile');
    const validate = await caddyValidate(path);
    assert.equal(validate.code, 0, describeRun(validate));
    const fmt = await caddyFmt(path);
    assert.equal(fmt.code, 0, describeRun(fmt));
    assert.equal(
      fmt.stdout.trimEnd(),
      (await readFile(path, 'utf8')).trimEnd(),
      'caddy fmt would change deploy/Caddyfile',
    );
  });

  it('the app listens on 127.0.0.1 only and trusts loopback', async () => {
    const source = await readFile(join(app!.dir, 'src', 'config.js'), 'utf8');
    assert.match(source, /^\s*HOST:\s*'127\.0\.0\.1'/m);
    assert.match(source, /^\s*TRUST_PROXY:\s*'loopback'/m);
  });

  it(`login over HTTPS through Caddy sets ${COOKIE} with Secure, HttpOnly, Path=/, SameSite=Lax`, async () => {
    const { first, login, jar } = await loginThrough(https);
    assertSetsHostCookie(first, 'GET /session', ANONYMOUS);
    assert.equal(login.status, 200, `login: ${login.status} ${login.text}`);
    assertSetsHostCookie(login, 'POST /login');
    const after = await https.get('/session', { jar });
    assert.equal((after.json as { authenticated?: boolean }).authenticated, true);
  });

  it('a client-sent X-Forwarded-Proto: http is replaced by Caddy: the cookie is still set', async () => {
    const { first, login } = await loginThrough(https, { 'x-forwarded-proto': 'http' });
    assertSetsHostCookie(first, 'GET /session with X-Forwarded-Proto: http', ANONYMOUS);
    assert.equal(login.status, 200);
  });

  it('sends exactly one Strict-Transport-Security header, and no Server header', async () => {
    for (const path of ['/session', '/health', '/']) {
      const res = await https.get(path, { jar: new CookieJar() });
      assertOneHsts(res, `GET ${path}`);
      assert.deepEqual(headerValues(res, 'server'), [], `GET ${path}: Server header`);
    }
  });

  it('plain HTTP redirects to HTTPS (308) and sets no cookie', async () => {
    const res = await http.get('/session?x=1');
    assert.equal(res.status, 308, `${res.status} ${res.text}`);
    assert.equal(res.headers.location, `https://${DOMAIN}:${site!.httpsPort}/session?x=1`);
    assert.deepEqual(res.setCookies, []);
  });

  it('refuses the TLS handshake for another host name', async () => {
    const other = client({ port: site!.httpsPort, hostname: 'other.test', ca: cert!.cert });
    await assert.rejects(other.get('/session'));
  });

  // Last: it leaves 127.0.0.1 throttled for the rest of this app process.
  it('a new X-Forwarded-For on every failed login does not escape the login throttle (Caddy replaces it)', async () => {
    const statuses = await failedLogins(https, (i) => ({ 'x-forwarded-for': `203.0.113.${i + 1}` }));
    assert.ok(statuses.includes(429), `never throttled: ${statuses.join(' ')}`);
  });
});

/** Production on `port`, with HOST and TRUST_PROXY left to the generated defaults. */
function productionEnv(app: GeneratedApp, port: number): AppEnv {
  return {
    PORT: String(port),
    SESSION_SECRET: secret(),
    SQLITE_PATH: join(app.root, 'sessions.db'),
  };
}

describe('--proxy paas: one hop, the platform router', () => {
  let app: GeneratedApp | undefined;
  let appPort: number;
  let running: RunningApp | undefined;
  let router: Client;

  before(
    async () => {
      appPort = await freePort();
      app = await generateApp(['--proxy', 'paas', '--port', '3000', '--domain', DOMAIN]);
      await installDeps(app.dir);
      // PORT as a platform sets it; HOST left to its default (0.0.0.0).
      // production takes no password from the environment
      await addUser(app.dir, productionEnv(app, appPort), { name: USER, password: PASSWORD });
      running = await startApp({ dir: app.dir, env: productionEnv(app, appPort), port: appPort });
      router = client({ port: appPort, hostname: DOMAIN });
    },
    { timeout: 10 * 60_000 },
  );

  after(async () => {
    await running?.stop();
    await app?.remove();
  });

  it('writes a Procfile and no deploy/ config; listens on 0.0.0.0 and trusts one hop', async () => {
    assert.equal(await readFile(join(app!.dir, 'Procfile'), 'utf8'), 'web: node src/server.js\n');
    assert.equal(existsSync(join(app!.dir, 'deploy')), false, 'a platform needs no proxy config');
    const source = await readFile(join(app!.dir, 'src', 'config.js'), 'utf8');
    assert.match(source, /^\s*HOST:\s*'0\.0\.0\.0'/m);
    assert.match(source, /^\s*TRUST_PROXY:\s*'1'/m);
    assert.match(running!.stdout(), new RegExp(`listening on http://0\\.0\\.0\\.0:${appPort} \\(production\\)`));
  });

  it(`behind the router (X-Forwarded-Proto: https), login sets ${COOKIE} with Secure`, async () => {
    const viaRouter = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.1' };
    const { first, login } = await loginThrough(router, viaRouter);
    assertSetsHostCookie(first, 'GET /session', ANONYMOUS);
    assert.equal(login.status, 200, `login: ${login.status} ${login.text}`);
    assertSetsHostCookie(login, 'POST /login');
  });

  it('without the router saying HTTPS, no session cookie is ever set', async () => {
    const res = await router.get('/session', { jar: new CookieJar() });
    assert.deepEqual(res.setCookies, [], 'a Secure cookie over plain HTTP');
  });

  it('a page asked for over plain HTTP is redirected to HTTPS; /health still answers for the platform', async () => {
    const page = await router.get('/', { jar: new CookieJar(), headers: { 'x-forwarded-proto': 'http' } });
    assert.equal(page.status, 301, `GET / over HTTP: ${page.status} ${page.text}`);
    assert.equal(page.headers.location, `https://${DOMAIN}/`);
    assert.equal(page.headers['cache-control'], 'no-store', 'a redirect built from the Host header must not be cached');
    const health = await router.get('/health', { jar: new CookieJar(), headers: { 'x-forwarded-proto': 'http' } });
    assert.equal(health.status, 200, `GET /health over HTTP: ${health.status} ${health.text}`);
  });

  it('sends exactly one Strict-Transport-Security header itself', async () => {
    const res = await router.get('/session', { jar: new CookieJar(), headers: { 'x-forwarded-proto': 'https' } });
    assertOneHsts(res, 'GET /session through the router');
  });

  // Last: it leaves 198.51.100.7 throttled.
  it('req.ip is the address the router appended: what a client wrote before it is ignored', async () => {
    const statuses = await failedLogins(router, (i) => ({
      'x-forwarded-proto': 'https',
      'x-forwarded-for': `203.0.113.${i + 1}, 198.51.100.7`,
    }));
    assert.ok(statuses.includes(429), `never throttled, so the client's own entry was believed: ${statuses.join(' ')}`);
  });
});

describe('--proxy custom --trust-proxy <address>: only that address is believed', () => {
  let app: GeneratedApp | undefined;
  let appPort: number;
  let running: RunningApp | undefined;

  before(
    async () => {
      appPort = await freePort();
      app = await generateApp([
        '--proxy',
        'custom',
        '--trust-proxy',
        '127.0.0.2',
        '--port',
        String(appPort),
        '--domain',
        DOMAIN,
      ]);
      await installDeps(app.dir);
      const env = productionEnv(app, appPort);
      // production takes no password from the environment
      await addUser(app.dir, env, { name: USER, password: PASSWORD });
      running = await startApp({ dir: app.dir, env, port: appPort });
    },
    { timeout: 10 * 60_000 },
  );

  after(async () => {
    await running?.stop();
    await app?.remove();
  });

  it('writes the given address as the default TRUST_PROXY, and listens on 0.0.0.0', async () => {
    const source = await readFile(join(app!.dir, 'src', 'config.js'), 'utf8');
    assert.match(source, /^\s*HOST:\s*'0\.0\.0\.0'/m);
    assert.match(source, /^\s*TRUST_PROXY:\s*'127\.0\.0\.2'/m);
    assert.match(await readFile(join(app!.dir, '.env.example'), 'utf8'), /^TRUST_PROXY=127\.0\.0\.2$/m);
  });

  it(`the proxy at 127.0.0.2 saying HTTPS gets ${COOKIE} with Secure`, async () => {
    const proxy = client({ port: appPort, hostname: DOMAIN, localAddress: '127.0.0.2' });
    const { first, login } = await loginThrough(proxy, { 'x-forwarded-proto': 'https' });
    assertSetsHostCookie(first, 'GET /session from the proxy', ANONYMOUS);
    assert.equal(login.status, 200, `login: ${login.status} ${login.text}`);
  });

  it('a client at 127.0.0.1 saying HTTPS is not believed: no cookie', async () => {
    const direct = client({ port: appPort, hostname: DOMAIN, localAddress: '127.0.0.1' });
    const res = await direct.get('/session', { jar: new CookieJar(), headers: { 'x-forwarded-proto': 'https' } });
    assert.deepEqual(res.setCookies, [], 'X-Forwarded-Proto from an untrusted address was believed');
  });
});
