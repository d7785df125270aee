// --proxy custom: the app generated with the real CLI, installed and started in production the way
// `npm start` would; the test client plays a proxy at the address given with --trust-proxy
// (127.0.0.2), and a client at another address (127.0.0.1) is not believed.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addUser, startApp, type RunningApp } from '../helpers/app-process.ts';
import { COOKIE, DOMAIN, PASSWORD, USER } from '../helpers/constants.ts';
import { generateApp, installDeps, type GeneratedApp } from '../helpers/generated-app.ts';
import { client, CookieJar } from '../helpers/https-client.ts';
import { freePort } from '../helpers/ports.ts';
import { ANONYMOUS_COOKIE, loginThrough, productionEnv } from '../helpers/proxy-requests.ts';
import { assertSetsHostCookie } from '../helpers/session-contract.ts';

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
    assertSetsHostCookie(first, 'GET /session from the proxy', ANONYMOUS_COOKIE);
    assert.equal(login.status, 200, `login: ${login.status} ${login.text}`);
  });

  it('a client at 127.0.0.1 saying HTTPS is not believed: no cookie', async () => {
    const direct = client({ port: appPort, hostname: DOMAIN, localAddress: '127.0.0.1' });
    const res = await direct.get('/session', { jar: new CookieJar(), headers: { 'x-forwarded-proto': 'https' } });
    assert.deepEqual(res.setCookies, [], 'X-Forwarded-Proto from an untrusted address was believed');
  });
});
