import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDuration } from '../../src/durations.ts';
import { UsageError } from '../../src/errors.ts';

describe('parseDuration', () => {
  it('reads each unit', () => {
    assert.equal(parseDuration('90s', '--max-age').ms, 90_000);
    assert.equal(parseDuration('30m', '--max-age').ms, 1_800_000);
    assert.equal(parseDuration('12h', '--max-age').ms, 43_200_000);
    assert.equal(parseDuration('7d', '--max-age').ms, 604_800_000);
    assert.equal(parseDuration('2w', '--max-age').ms, 1_209_600_000);
  });

  it('describes the value in words', () => {
    assert.equal(parseDuration('1h', '--max-age').words, '1 hour');
    assert.equal(parseDuration('30m', '--max-age').words, '30 minutes');
  });

  for (const bad of ['0', '0m', '-5m', '7 days', '1e309s', '30', 'm', '1.5h', '30M', '']) {
    it(`refuses ${JSON.stringify(bad)} naming the flag and the fix`, () => {
      assert.throws(
        () => parseDuration(bad, '--max-age'),
        (error: Error) => error instanceof UsageError && /--max-age/.test(error.message) && /30m/.test(error.message),
      );
    });
  }

  it('refuses lifetimes longer than browsers keep a cookie', () => {
    assert.throws(() => parseDuration('401d', '--max-age'), /400d/);
    assert.equal(parseDuration('400d', '--max-age').ms, 400 * 86_400_000);
  });
});
