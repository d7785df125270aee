// The proxy setups: the table, and the files each one's plan writes and passes to its templates.
// --trust-proxy: trust-proxy.test.ts; what the templates render to: proxy-templates.test.ts.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { layersFor } from '../../src/plan.ts';
import { PROXIES } from '../../src/proxies/index.ts';
import { TEMPLATES_ROOT } from '../../src/templates.ts';
import { MAX_TRUST_PROXY_HOPS, parseTrustProxy } from '../../src/trust-proxy.ts';
import { optionsWith, plan } from '../helpers/plan.ts';

describe('the proxy table', () => {
  it('offers nginx first (the default), then caddy, paas, custom and none', () => {
    assert.deepEqual(
      PROXIES.map((p) => p.id),
      ['nginx', 'caddy', 'paas', 'custom', 'none'],
    );
  });

  it('gives each setup a template folder with its README text', () => {
    for (const proxy of PROXIES) {
      const dir = join(TEMPLATES_ROOT, 'proxies', proxy.id);
      // One file per part (partials/<file>/<part>.ejs); a setup with variables of its own adds env.example/proxy.ejs.
      for (const part of [
        'README.md/intro',
        'README.md/files',
        'README.md/trust',
        'README.md/deploy',
        'README.md/checklist',
      ]) {
        assert.ok(existsSync(join(dir, `partials/${part}.ejs`)), `${proxy.id}: partials/${part}.ejs`);
      }
    }
  });

  it('never trusts every proxy, and listens on loopback exactly when the proxy is on the same host', () => {
    for (const proxy of PROXIES) {
      assert.notEqual(proxy.trustProxy, 'true', proxy.id);
      assert.equal(proxy.host === '127.0.0.1', proxy.trustProxy === 'loopback', proxy.id);
      // a setup's default passes the same check as a user's value (none's "false" aside)
      if (proxy.trustProxy !== 'false') assert.equal(parseTrustProxy(proxy.trustProxy), proxy.trustProxy, proxy.id);
    }
  });

  it('has HSTS sent exactly once: by the proxy or by the app', () => {
    const byProxy = PROXIES.filter((p) => p.sendsHsts).map((p) => p.id);
    assert.deepEqual(byProxy, ['nginx', 'caddy']);
  });

  it('lets only custom take --trust-proxy, and only none serve HTTPS itself', () => {
    assert.deepEqual(
      PROXIES.filter((p) => p.takesTrustProxy).map((p) => p.id),
      ['custom'],
    );
    assert.deepEqual(
      PROXIES.filter((p) => p.servesHttps).map((p) => p.id),
      ['none'],
    );
  });
});

describe('the plan for each proxy setup', () => {
  const deployFiles: Record<string, string[]> = {
    nginx: ['deploy/nginx.conf'],
    caddy: ['deploy/Caddyfile'],
    paas: ['Procfile'],
    custom: [],
    none: [],
  };
  const allDeployFiles = Object.values(deployFiles).flat();

  for (const proxy of PROXIES) {
    it(
      `${proxy.id}: writes ` +
        `${deployFiles[proxy.id]!.join(', ') || 'no deploy file'}, src/http-server.js, and no partials`,
      async () => {
        const p = await plan({ proxy: proxy.id });
        const paths = p.files.map((f) => f.path);
        for (const path of allDeployFiles)
          assert.equal(paths.includes(path), deployFiles[proxy.id]!.includes(path), `${proxy.id}: ${path}`);
        assert.ok(paths.includes('src/http-server.js'), proxy.id);
        const httpServer = p.files.find((f) => f.path === 'src/http-server.js')!;
        assert.equal(
          httpServer.source.kind === 'template' && httpServer.source.layer,
          proxy.servesHttps ? `proxies/${proxy.id}` : 'base',
        );
        assert.ok(!paths.some((path) => path.includes('partials')), `${proxy.id}: ${paths.join(', ')}`);
        assert.equal(layersFor(optionsWith({ proxy: proxy.id })).at(-1), `proxies/${proxy.id}`);
      },
    );

    it(`${proxy.id}: passes host, trust proxy, HSTS and HTTPS to the templates`, async () => {
      const { proxy: context } = (await plan({ proxy: proxy.id })).context;
      assert.deepEqual(context, {
        id: proxy.id,
        label: proxy.label,
        host: proxy.host,
        trustProxy: proxy.trustProxy,
        maxTrustProxyHops: MAX_TRUST_PROXY_HOPS,
        sendsHsts: proxy.sendsHsts,
        servesHttps: proxy.servesHttps,
        options: {}, // no setup declares an option of its own
      });
    });
  }

  it("custom: the --trust-proxy value becomes the app's default TRUST_PROXY", async () => {
    const p = await plan({ proxy: 'custom', trustProxy: '10.0.0.5, 10.1.0.0/16' });
    assert.equal(p.context.proxy.trustProxy, '10.0.0.5,10.1.0.0/16');
    assert.equal(p.context.proxy.host, '0.0.0.0');
  });
});
