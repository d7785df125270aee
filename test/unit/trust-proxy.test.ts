// --trust-proxy: the values it takes and refuses, the proxy setups it applies to, and its defaults.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/errors.ts';
import type { OptionKey, Raw } from '../../src/options.ts';
import { PROXIES } from '../../src/proxies/index.ts';
import { MAX_TRUST_PROXY_HOPS, parseTrustProxy } from '../../src/trust-proxy.ts';
import { optionsWith } from '../helpers/plan.ts';

/** The one-line UsageError these options give. */
function refusal(overrides: Partial<Record<OptionKey, Raw>>): string {
  try {
    optionsWith(overrides);
  } catch (error) {
    assert.ok(error instanceof UsageError, `not a UsageError: ${String(error)}`);
    assert.doesNotMatch(error.message, /\n/);
    return error.message;
  }
  assert.fail(`${JSON.stringify(overrides)} was accepted`);
}

describe('--trust-proxy', () => {
  it('takes hop counts, the named ranges, and lists of IPs and CIDRs, written without spaces', () => {
    assert.equal(parseTrustProxy('1'), '1');
    assert.equal(parseTrustProxy('02'), '2');
    assert.equal(parseTrustProxy(String(MAX_TRUST_PROXY_HOPS)), String(MAX_TRUST_PROXY_HOPS));
    for (const name of ['loopback', 'linklocal', 'uniquelocal']) assert.equal(parseTrustProxy(name), name);
    assert.equal(parseTrustProxy(' 10.0.0.5 , 10.1.0.0/16 '), '10.0.0.5,10.1.0.0/16');
    assert.equal(parseTrustProxy('loopback,192.0.2.7'), 'loopback,192.0.2.7');
    assert.equal(parseTrustProxy('::1,fd00::/8,2001:db8::/32'), '::1,fd00::/8,2001:db8::/32');
    assert.equal(parseTrustProxy('10.0.0.0/32'), '10.0.0.0/32');
    assert.equal(parseTrustProxy('::ffff:10.0.0.1'), '::ffff:10.0.0.1');
  });

  const refused: [string, RegExp][] = [
    ['true', /trusts every client/],
    ['false', /trusts no proxy.*--proxy none/],
    ['0', /trusts no proxy/],
    ['00', /trusts no proxy/],
    ['', /empty/],
    ['   ', /empty/],
    ['garbage', /"garbage" is not an IP address/],
    ['6', /at most 5 hops/],
    ['99', /at most 5 hops: more than the real chain lets a client choose req\.ip/],
    ['-1', /not an IP address/],
    ['1.5', /not an IP address/],
    ['10.0.0.0/33', /"10\.0\.0\.0\/33" needs a prefix length from 1 to 32/],
    ['::1/129', /"::1\/129" needs a prefix length from 1 to 128/],
    ['1.2.3.4/', /needs a prefix length/],
    ['1.2.3.4/x', /needs a prefix length/],
    ['1.2.3.4/8/8', /not an IP address/],
    ['0.0.0.0/0', /every address/],
    ['::/0', /every address/],
    ['256.1.1.1', /not an IP address/],
    ['fe80::1%eth0', /not an IP address/],
    ['10.0.0.1,,10.0.0.2', /empty entry/],
    ['10.0.0.1,', /empty entry/],
    ['10.0.0.1 10.0.0.2', /not an IP address/],
    ['loopback;rm', /not an IP address/],
    ['LOOPBACK', /not an IP address/],
  ];
  for (const [value, reason] of refused) {
    it(`refuses ${JSON.stringify(value)} in one line naming the value and the fix`, () => {
      const message = refusal({ proxy: 'custom', trustProxy: value });
      assert.ok(message.startsWith(`Invalid --trust-proxy ${JSON.stringify(value)}: `), message);
      assert.match(message, reason);
      assert.match(message, /use a hop count such as 1, loopback, uniquelocal, or IPs\/CIDRs/);
    });
  }

  it('is refused with any other proxy setup, saying what that setup trusts', () => {
    assert.match(
      refusal({ proxy: 'nginx', trustProxy: '1' }),
      new RegExp(
        String.raw`^--trust-proxy only applies to --proxy custom: --proxy nginx ` +
          String.raw`trusts loopback; drop --trust-proxy, or use --proxy custom\.$`,
      ),
    );
    assert.match(refusal({ proxy: 'paas', trustProxy: '1' }), /--proxy paas trusts 1;/);
    assert.match(refusal({ proxy: 'none', trustProxy: 'loopback' }), /--proxy none trusts no proxy;/);
    assert.match(refusal({ proxy: 'caddy', trustProxy: '' }), /only applies to --proxy custom/);
  });

  // Where it is asked, and its default there and for --proxy: test/unit/resolve-options.test.ts.
  it("is the setup's own value when it does not apply", () => {
    for (const proxy of PROXIES.filter((p) => !p.takesTrustProxy)) {
      assert.equal(optionsWith({ proxy: proxy.id }).trustProxy, proxy.trustProxy, proxy.id);
    }
  });

  it('defaults to uniquelocal with --proxy custom', () => {
    assert.equal(optionsWith({ proxy: 'custom' }).trustProxy, 'uniquelocal');
  });

  it('alone, without --proxy, makes custom the default proxy', () => {
    const options = optionsWith({ trustProxy: '10.0.0.5' });
    assert.equal(options.proxy.id, 'custom');
    assert.equal(options.trustProxy, '10.0.0.5');
  });
});
