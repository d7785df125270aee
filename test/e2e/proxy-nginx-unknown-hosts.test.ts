// nginx's refusal of unknown host names: the generated deploy/nginx.conf's default servers, run by
// real nginx without the app behind them. The app behind nginx: default-app.test.ts.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DOMAIN } from '../helpers/constants.ts';
import { generateApp, type GeneratedApp } from '../helpers/generated-app.ts';
import { client } from '../helpers/https-client.ts';
import { prepareNginx, startNginx, type NginxPrefix, type RunningNginx } from '../helpers/nginx.ts';
import { freePort } from '../helpers/ports.ts';
import { makeCert, tlsVersion, type TestCert } from '../helpers/tls.ts';
import { needsTools } from '../helpers/tools.ts';

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
