// Rules the CLI and the generated app share, checked on both sides against one table: the CLI's
// src/ functions, and the app's src/config.js rendered from the real templates and imported.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../../src/errors.ts';
import { checkServerUrl, redactUrl } from '../../src/stores/url.ts';
import { MAX_TRUST_PROXY_HOPS, parseTrustProxy } from '../../src/trust-proxy.ts';
import { render } from '../helpers/plan.ts';

/** TRUST_PROXY / --trust-proxy values both sides accept (true) or refuse (false). */
const TRUST_PROXY_CASES: Array<[string, boolean]> = [
  ['1', true],
  [String(MAX_TRUST_PROXY_HOPS), true],
  [String(MAX_TRUST_PROXY_HOPS + 1), false],
  ['loopback', true],
  ['uniquelocal,linklocal', true],
  ['10.0.0.5', true],
  [' 10.0.0.5 , 10.1.0.0/16 ', true],
  ['::1,fd00::/8,2001:db8::/32', true],
  ['::ffff:10.0.0.1', true],
  ['10.0.0.0/32', true],
  ['10.0.0.0/33', false],
  ['fd00::/129', false],
  ['10.0.0.0/0032', false],
  ['0.0.0.0/0', false],
  ['::/0', false],
  ['fe80::1%eth0', false],
  ['10.0.0.0/8/8', false],
  ['example.com', false],
  ['yes please', false],
  ['loopback,', false],
  ['true', false],
];

/** Session server URLs for Redis: [url, the CLI accepts it, the app accepts it]. */
const STORE_URL_CASES: Array<[string, boolean, boolean]> = [
  ['redis://127.0.0.1:6379', true, true],
  ['rediss://app:s3cret@cache.example:6380/0', true, true],
  ['REDIS://h', true, true],
  ['http://app:s3cret@store.example', false, false],
  ['redis://app:s3cret@store.example:99999', false, false],
  ['app:s3cret@store.example', false, false],
  ['redis://', false, false],
  // The CLI writes the URL into .env, which cannot hold these; the environment can.
  ['redis://h/0 x', false, true],
  ['redis://h/"0"', false, true],
];

let app: string;
before(async () => {
  // The app's modules for Redis behind a proxy of one's own, as generated.
  app = mkdtempSync(join(tmpdir(), 'cssa-shared-rules-'));
  writeFileSync(join(app, 'package.json'), '{ "type": "module" }\n');
  for (const [path, text] of await render({ store: 'redis', proxy: 'custom' })) {
    if (!path.startsWith('src/')) continue;
    mkdirSync(dirname(join(app, path)), { recursive: true });
    writeFileSync(join(app, path), text);
  }
});
after(() => rmSync(app, { recursive: true, force: true }));

async function appConfig() {
  return (await import(pathToFileURL(join(app, 'src/config.js')).href)) as {
    loadConfig(env: Record<string, string>): unknown;
    loadStoreConfig(env: Record<string, string>): { store: { redactedUrl: string } };
  };
}

const accepts = (run: () => unknown) => {
  try {
    run();
    return true;
  } catch (err) {
    if (!(err instanceof Error)) throw err;
    return false;
  }
};

describe('rules the CLI and the app share', () => {
  it('TRUST_PROXY: the app accepts exactly the proxies --trust-proxy accepts', async () => {
    const { loadConfig } = await appConfig();
    for (const [value, ok] of TRUST_PROXY_CASES) {
      assert.equal(
        accepts(() => loadConfig({ NODE_ENV: 'test', TRUST_PROXY: value })),
        ok,
        `app: ${value}`,
      );
      assert.equal(
        accepts(() => parseTrustProxy(value)),
        ok,
        `CLI: ${value}`,
      );
    }
    // Only the CLI refuses to trust no proxy: that setup is --proxy none.
    assert.throws(() => parseTrustProxy('false'), UsageError);
    assert.equal(
      accepts(() => loadConfig({ NODE_ENV: 'test', TRUST_PROXY: 'false' })),
      true,
    );
  });

  it('store URLs: the app and the CLI accept the same URLs, but for what .env cannot hold', async () => {
    const { loadStoreConfig } = await appConfig();
    for (const [url, cli, ok] of STORE_URL_CASES) {
      assert.equal(checkServerUrl(url, ['redis:', 'rediss:'], 'Redis') === undefined, cli, `CLI: ${url}`);
      assert.equal(
        accepts(() => loadStoreConfig({ REDIS_URL: url })),
        ok,
        `app: ${url}`,
      );
      if (ok)
        assert.equal(loadStoreConfig({ REDIS_URL: url }).store.redactedUrl, redactUrl(url), `the same mask: ${url}`);
    }
  });
});
