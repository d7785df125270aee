import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePort, validateDomain } from '../../src/domain-and-port.ts';

describe('domain and port', () => {
  it('accepts host names and lowercases them', () => {
    assert.equal(validateDomain('App.Example.com'), 'app.example.com');
    assert.equal(validateDomain('localhost'), 'localhost');
  });

  for (const bad of ['exa mple.com', 'a;b', '-bad.com', 'x..y', 'evil.com$host', '']) {
    it(`refuses domain ${JSON.stringify(bad)}`, () => assert.throws(() => validateDomain(bad), /Invalid --domain/));
  }

  it('accepts ports 1-65535 only', () => {
    assert.equal(parsePort('3000'), 3000);
    for (const bad of ['0', '65536', '-1', '3e3', 'http', '']) assert.throws(() => parsePort(bad), /Invalid --port/);
  });
});
