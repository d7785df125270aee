// --proxy caddy: the app generated with the real CLI, installed and started in production the way
// `npm start` would, behind real Caddy run from the generated deploy/Caddyfile (test/helpers/caddy.ts).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addUser, startApp, type RunningApp } from '../helpers/app-process.ts';
import {
  caddyFmt,
  caddyValidate,
  prepareCaddy,
  startCaddy,
  type CaddyPrefix,
  type RunningCaddy,
} from '../helpers/caddy.ts';
import { describeRun } from '../helpers/cli.ts';
import { COOKIE, DOMAIN, PASSWORD, USER } from '../helpers/constants.ts';
import { generateApp, installDeps, type GeneratedApp } from '../helpers/generated-app.ts';
import { client, CookieJar, headerValues, type Client } from '../helpers/https-client.ts';
import { freePort } from '../helpers/ports.ts';
import { ANONYMOUS_COOKIE, failedLogins, loginThrough, productionEnv } from '../helpers/proxy-requests.ts';
import { assertOneHsts, assertSetsHostCookie } from '../helpers/session-contract.ts';
import { makeCert, type TestCert } from '../helpers/tls.ts';
import { needsTools } from '../helpers/tools.ts';

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
    assertSetsHostCookie(first, 'GET /session', ANONYMOUS_COOKIE);
    assert.equal(login.status, 200, `login: ${login.status} ${login.text}`);
    assertSetsHostCookie(login, 'POST /login');
    const after = await https.get('/session', { jar });
    assert.equal((after.json as { authenticated?: boolean }).authenticated, true);
  });

  it('a client-sent X-Forwarded-Proto: http is replaced by Caddy: the cookie is still set', async () => {
    const { first, login } = await loginThrough(https, { 'x-forwarded-proto': 'http' });
    assertSetsHostCookie(first, 'GET /session with X-Forwarded-Proto: http', ANONYMOUS_COOKIE);
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
