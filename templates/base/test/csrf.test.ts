// CSRF: every unsafe request needs a token, an anonymous visitor's included, and what the token is bound to.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CSRF_EXEMPT } from '../src/csrf.ts';
import { appClient, PASSWORD, SECRET, setCookie, startApp, testEnv, UNSAFE } from './helpers.ts';
import type { TestApp } from './helpers.ts';

describe('app', () => {
  let app: TestApp;
  before(async () => {
    app = await startApp();
  });
  after(async () => {
    await app.stop();
  });
  const { get, post, anonymousSession } = appClient(() => app);

  test('GET /session gives an anonymous visitor a CSRF token and no session', async () => {
    const response = await get('/session');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const body = await response.json();
    assert.deepEqual(Object.keys(body).sort(), ['authenticated', 'csrfToken']);
    assert.equal(body.authenticated, false);
    assert.equal(typeof body.csrfToken, 'string');
    // only the token's own cookie: no session cookie, so nothing was stored
    const [cookie, ...others] = response.headers.getSetCookie();
    assert.deepEqual(others, []);
    assert.match(cookie, /^csrf=/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.match(cookie, /Path=\//);
    // the same cookie gives the same token (tabs share it) and is not set again
    const again = await get('/session', setCookie(response, 'csrf'));
    assert.equal((await again.json()).csrfToken, body.csrfToken);
    assert.deepEqual(again.headers.getSetCookie(), []);
  });

  test(
    'every unsafe request needs the token, on every path: ' + "a route added later, an unknown path, the app's own",
    async () => {
      const { cookie, token } = await anonymousSession();
      for (const method of UNSAFE) {
        for (const path of ['/added', '/nope', '/login', '/logout']) {
          const wrongToken = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
          for (const [what, given] of [
            ['no token', undefined],
            ['a wrong token', wrongToken],
          ]) {
            const response = await post(path, { method, cookie, token: given });
            assert.equal(response.status, 403, `${method} ${path} with ${what}`);
            assert.deepEqual(await response.json(), { error: 'missing or invalid CSRF token' });
          }
        }
        // with the token, the request reaches routing
        const added = await post('/added', { method, cookie, token });
        assert.equal(added.status, 200, `${method} /added with the token`);
        assert.deepEqual(await added.json(), { reached: method });
        assert.equal((await post('/nope', { method, cookie, token })).status, 404, `${method} /nope with the token`);
        // the token without the cookie it is bound to, or with another visitor's cookie, is refused
        assert.equal((await post('/added', { method, token })).status, 403, `${method} /added without the cookie`);
        const other = await anonymousSession();
        const response = await post('/added', { method, cookie: other.cookie, token });
        assert.equal(response.status, 403, `${method} /added with another cookie`);
      }
      assert.equal((await get('/added')).status, 200, 'reads need no token');
    },
  );

  test(
    'SESSION_SECRET=new,old: an anonymous token signed with old ' + 'still logs in; GET /session signs with new',
    async () => {
      const { cookie, token } = await anonymousSession(); // signed with SECRET
      const NEW = `${SECRET}-new`;
      const rotated = await startApp({ ...testEnv, SESSION_SECRET: `${NEW},${SECRET}` });
      const onlyNew = await startApp({ ...testEnv, SESSION_SECRET: NEW });
      try {
        const fresh = await (await fetch(`${rotated.url}/session`, { headers: { cookie } })).json();
        assert.notEqual(fresh.csrfToken, token, 'the same cookie, signed with the new secret');
        const added = (url: string, t: string) =>
          fetch(`${url}/added`, { method: 'POST', headers: { cookie, 'x-csrf-token': t } });
        assert.equal((await added(rotated.url, token)).status, 200, 'old-signed token, new,old');
        assert.equal((await added(rotated.url, fresh.csrfToken)).status, 200, 'new-signed token, new,old');
        assert.equal((await added(onlyNew.url, token)).status, 403, 'old-signed token without old');
        assert.equal((await added(onlyNew.url, fresh.csrfToken)).status, 200, 'new-signed token, new only');
      } finally {
        await rotated.stop();
        await onlyNew.stop();
      }
    },
  );

  test('CSRF_EXEMPT lists each exemption by method and exact path', () => {
    assert.ok(Array.isArray(CSRF_EXEMPT) && Object.isFrozen(CSRF_EXEMPT));
    for (const e of CSRF_EXEMPT) {
      assert.ok(UNSAFE.includes(e.method), JSON.stringify(e));
      assert.match(e.path, /^\/[^*?:]*$/, JSON.stringify(e));
    }
  });

  test('POST /login without a CSRF token is refused with 403', async () => {
    const { cookie } = await anonymousSession();
    const response = await post('/login', { cookie, body: { username: 'demo', password: PASSWORD } });
    assert.equal(response.status, 403);
  });
});
