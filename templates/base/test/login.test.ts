// The login route's own rules: it trusts only a user the awaited credential check returns.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sessionCookie, setCookie, startApp, testEnv } from './helpers.ts';

describe('login trusts only a user from the awaited credential check', () => {
  // Each case: what the check does, and the status POST /login must answer.
  const cases = [
    {
      name: 'the lookup throws (store down)',
      check: async () => {
        throw new Error('connection refused');
      },
      status: 503,
    },
    {
      name: 'the lookup throws synchronously',
      check: () => {
        throw new Error('connection refused');
      },
      status: 503,
    },
    {
      name: 'a pending promise resolving to null',
      check: () => new Promise((resolve) => setTimeout(resolve, 10, null)),
      status: 401,
    },
    { name: 'true', check: async () => true, status: 401 },
    { name: 'a string', check: async () => 'demo', status: 401 },
    { name: 'an object without a name', check: async () => ({ id: 1 }), status: 401 },
    { name: 'an empty name', check: async () => ({ name: '' }), status: 401 },
    { name: 'a promise of a promise of null', check: async () => Promise.resolve(null), status: 401 },
  ];
  for (const { name, check, status } of cases) {
    test(`${name}: ${status}, and the session stays anonymous`, async () => {
      const app = await startApp(testEnv, { verify: check });
      try {
        const first = await fetch(`${app.url}/session`);
        const cookie = setCookie(first, 'csrf')!; // the anonymous token's cookie: no session yet
        const { csrfToken } = await first.json();
        const response = await fetch(`${app.url}/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
          body: JSON.stringify({ username: 'demo', password: 'anything at all' }),
        });
        assert.equal(response.status, status);
        assert.equal(sessionCookie(response), null, 'no session');
        const body = await response.json();
        assert.equal(body.authenticated, undefined);
        const after = await (await fetch(`${app.url}/session`, { headers: { cookie } })).json();
        assert.equal(after.authenticated, false);
      } finally {
        await app.forgetFailedLogins('127.0.0.1'); // the 401s above, so later tests are not throttled
        await app.stop();
      }
    });
  }

  test('a user from the check logs in with only its name in the session', async () => {
    const verify = async () => ({ name: 'ada', version: 1, passwordHash: '$scrypt$…' });
    const app = await startApp(testEnv, { verify });
    try {
      const first = await fetch(`${app.url}/session`);
      const response = await fetch(`${app.url}/login`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          cookie: setCookie(first, 'csrf')!,
          'x-csrf-token': (await first.json()).csrfToken,
        },
        body: JSON.stringify({ username: 'ada', password: 'whatever' }),
      });
      assert.equal(response.status, 200);
      assert.deepEqual((await response.json()).user, { name: 'ada' });
    } finally {
      await app.stop();
    }
  });
});
