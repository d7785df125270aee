// --proxy paas: the app generated with the real CLI, installed and started in production the way
// `npm start` would, with the test client in the platform's router's place, one hop in front of it.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addUser, startApp, type RunningApp } from '../helpers/app-process.ts';
import { COOKIE, DOMAIN, PASSWORD, USER } from '../helpers/constants.ts';
import { generateApp, installDeps, type GeneratedApp } from '../helpers/generated-app.ts';
import { client, CookieJar, type Client } from '../helpers/https-client.ts';
import { freePort } from '../helpers/ports.ts';
import { ANONYMOUS_COOKIE, failedLogins, loginThrough, productionEnv } from '../helpers/proxy-requests.ts';
import { assertOneHsts, assertSetsHostCookie } from '../helpers/session-contract.ts';

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
    assertSetsHostCookie(first, 'GET /session', ANONYMOUS_COOKIE);
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
