import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeOptions } from '../../src/describe-options.ts';
import { UsageError } from '../../src/errors.ts';
import { OPTIONS, type OptionKey, type Raw } from '../../src/options.ts';
import { resolveOptions } from '../../src/resolve-options.ts';

/** The options these flags give with nothing asked, as a run with --yes resolves them. */
const parsed = (given: Partial<Record<OptionKey, Raw>> = {}) => resolveOptions(given).options;

describe('the options table', () => {
  it('has secure, practical defaults', () => {
    const options = parsed({ pm: 'npm' });
    assert.equal(options.store.id, 'sqlite');
    assert.equal(options.storeUrl, './data/sessions.db');
    assert.equal(options.maxAge.text, '30m');
    assert.equal(options.rolling, true);
    assert.equal(options.absoluteTimeout?.text, '8h');
    assert.equal(options.proxy.id, 'nginx');
    assert.equal(options.proxy.trustProxy, 'loopback');
    assert.equal(options.port, 3000);
  });

  it('gives every option help, and every prompted option a message', () => {
    for (const def of Object.values(OPTIONS)) {
      assert.ok(def.help.length > 0, def.flag);
      if (def.prompt) assert.ok(def.prompt.message.length > 0, def.flag);
    }
  });

  it('suggests the closest store for a typo', () => {
    assert.throws(() => parsed({ store: 'sqlit' }), /Did you mean --store sqlite\?/);
  });

  it('names the choices for an unknown proxy and package manager', () => {
    assert.throws(() => parsed({ proxy: 'apache' }), /choose one of nginx, caddy, paas, custom, none/);
    assert.throws(() => parsed({ pm: 'pip' }), /choose one of npm, pnpm, yarn, bun/);
  });

  it('takes "none" as an absolute timeout', () => {
    assert.equal(parsed({ absoluteTimeout: 'none' }).absoluteTimeout, null);
  });

  it('defaults the absolute timeout to one that fits a long idle lifetime', () => {
    assert.equal(parsed({ maxAge: '12h' }).absoluteTimeout?.text, '30d');
    assert.equal(parsed({ maxAge: '60d' }).absoluteTimeout, null);
  });

  it('refuses an absolute timeout shorter than the idle lifetime', () => {
    assert.throws(
      () => parsed({ maxAge: '2h', absoluteTimeout: '1h' }),
      (error: Error) => error instanceof UsageError && /shorter than --max-age 2h/.test(error.message),
    );
  });

  it('refuses a URL as a SQLite path and any location for the memory store', () => {
    assert.throws(() => parsed({ storeUrl: 'redis://localhost' }), /file path, not a URL/);
    assert.throws(() => parsed({ store: 'memory', storeUrl: './x.db' }), /leave --store-url out/);
    assert.equal(parsed({ store: 'memory' }).storeUrl, '');
  });

  it('reads booleans from flags and prompt answers alike', () => {
    assert.equal(parsed({ rolling: false }).rolling, false);
    assert.equal(parsed({ install: false, git: false }).install, false);
  });

  it('are described for --json by the table, each as its flag takes it, a store password masked', () => {
    const options = parsed({
      store: 'redis',
      storeUrl: 'redis://u:s3cret@h:6379',
      absoluteTimeout: 'none',
      pm: 'pnpm',
    });
    assert.equal(
      JSON.stringify(describeOptions(options)),
      '{"store":"redis","storeUrl":"redis://u:***@h:6379","maxAge":"30m","rolling":true,"absoluteTimeout":"none",' +
        '"proxy":"nginx","trustProxy":"loopback","domain":"example.com","port":3000,' +
        '"typescript":false,"pm":"pnpm","install":true,"git":true}',
    );
    assert.equal(describeOptions(parsed()).absoluteTimeout, '8h');
  });
});
