// The security headers: helmet's, worked out once at start (computedOnce in src/app.ts), on every
// response; and a helmet setting that would vary per request is refused at start, never frozen.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import helmet from 'helmet';
import { computedOnce } from '../src/app.ts';
import { startApp } from './helpers.ts';
import type { TestApp } from './helpers.ts';

describe('security headers', () => {
  let app: TestApp;
  before(async () => {
    app = await startApp();
  });
  after(async () => {
    await app.stop();
  });

  test('every response has the same ones: the page, the health check, the API and an unknown path', async () => {
    const seen = [];
    for (const path of ['/', '/health', '/session', '/no-such-path']) {
      const headers = (await fetch(`${app.url}${path}`)).headers;
      assert.match(headers.get('content-security-policy') ?? '', /default-src 'none'/, path);
      assert.equal(headers.get('x-frame-options'), 'DENY', path);
      assert.equal(headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(headers.get('x-powered-by'), null, path);
      seen.push([...headers].filter(([name]) => !['date', 'content-length', 'etag'].includes(name)).length);
    }
    assert.ok(
      seen.every((count) => count >= 10),
      `headers per response: ${seen}`,
    );
  });

  test('a setting that reads the request, or varies, fails at start', () => {
    const nonce = (req: unknown, res: unknown) => `'nonce-${(res as { locals: { nonce: string } }).locals.nonce}'`;
    assert.throws(() => computedOnce(helmet({ contentSecurityPolicy: { directives: { scriptSrc: [nonce] } } })));
    const random = () => `'nonce-${randomBytes(8).toString('base64')}'`;
    assert.throws(
      () => computedOnce(helmet({ contentSecurityPolicy: { directives: { scriptSrc: [random] } } })),
      /other headers when asked again/,
    );
  });
});
