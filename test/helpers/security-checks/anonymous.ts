// The checks that anonymous visitors store nothing: no session and no row for pages, assets and
// GET /session, only the anonymous token's cookie. Rows #15 and #17.
import assert from 'node:assert/strict';
import { Agent as HttpsAgent } from 'node:https';
import { COOKIE, CSRF_COOKIE, DOMAIN, PASSWORD, USER } from '../constants.ts';
import { client } from '../https-client.ts';
import { assertClearsHostCookie, getSession } from '../session-contract.ts';
import { assertCsrfCookie, assertNoSessionCookie, login, setCookieSid, sid, type Check } from './steps.ts';

/** #15: no session for anonymous GETs. */
export const anonymousGets: Check = async (d) => {
  const https = d.main.https();
  const before = await d.store.ids();
  const expected: Array<[string, number]> = [
    ['/', 200],
    ['/health', 200],
    ['/assets/app.js', 200],
    ['/assets/style.css', 200],
    ['/no-such-page', 404],
    ['/assets/no-such-file.js', 404],
  ];
  for (const [path, status] of expected) {
    const res = await https.get(path, { jar: d.jar() });
    assert.equal(res.status, status, `GET ${path}: ${res.status} ${res.text.slice(0, 200)}`);
    assert.deepEqual(res.setCookies, [], `GET ${path} must not set a cookie`);
  }
  const added = [...(await d.store.ids())].filter((id) => !before.has(id));
  assert.deepEqual(added, [], 'anonymous GETs must not add sessions to the store');
  // the control: a login does add one, and the probe sees it
  const jar = d.jar();
  await login(https, jar);
  assert.ok(
    (await d.store.ids()).has(sid(jar)),
    `a login should have stored a session the probe can see: ${d.store.where(sid(jar))}`,
  );
};

/** #17: anonymous visitors store nothing. */
export const anonymousVisitors: Check = async (d) => {
  const PAGE_LOADS = 1000;
  const CLIENTS = 8;
  const pageLoad = ['/', '/assets/style.css', '/assets/app.js', '/session'];
  const before = await d.store.ids();
  const started = Date.now();
  let csrfCookies = 0;
  let next = 0;
  const visitor = async () => {
    // keep-alive, one connection per client, like a browser; every page load is a new visitor (a fresh jar)
    const agent = new HttpsAgent({ keepAlive: true, maxSockets: 1 });
    const c = client({ port: d.main.tlsPort, hostname: DOMAIN, ca: d.cert.cert, agent });
    try {
      while (next < PAGE_LOADS) {
        const load = next++;
        const jar = d.jar();
        for (const path of pageLoad) {
          const res = await c.get(path, { jar });
          assert.equal(res.status, 200, `page load ${load}: GET ${path}: ${res.status} ${res.text.slice(0, 200)}`);
          assertNoSessionCookie(res, `page load ${load}: GET ${path}`);
          if (path !== '/session')
            assert.deepEqual(res.setCookies, [], `page load ${load}: GET ${path} sets no cookie`);
          else {
            assertCsrfCookie(res, `page load ${load}: GET /session`);
            csrfCookies++;
            const again = await c.get('/session', { jar }); // the page asks again: the same token, no new cookie
            assert.deepEqual(again.setCookies, [], `page load ${load}: a second GET /session sets no cookie`);
            assert.equal(
              (again.json as { csrfToken?: unknown }).csrfToken,
              (res.json as { csrfToken?: unknown }).csrfToken,
              `page load ${load}: the same token`,
            );
          }
        }
      }
    } finally {
      agent.destroy();
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, visitor));
  const elapsed = Date.now() - started;
  const added = [...(await d.store.ids())].filter((id) => !before.has(id));
  console.log(
    `# ${d.setup.id}: store rows added by ${PAGE_LOADS} anonymous page loads (${pageLoad.join(', ')}, and ` +
      `GET /session again): ${added.length} (${PAGE_LOADS * (pageLoad.length + 1)} requests in ${elapsed} ms)`,
  );
  assert.equal(csrfCookies, PAGE_LOADS);
  assert.deepEqual(
    added,
    [],
    `anonymous visitors must store nothing: ${added.length} new rows (${d.store.where(added[0] ?? '?')})`,
  );

  // Login with the anonymous token works; then the pre-login token no longer does.
  const https = d.main.https();
  const jar = d.jar();
  const { token: preLogin } = await getSession(https, jar);
  const preLoginCookie = jar.get(CSRF_COOKIE)!;
  const res = await https.post('/login', {
    jar,
    json: { username: USER, password: PASSWORD },
    headers: { 'x-csrf-token': preLogin },
  });
  assert.equal(res.status, 200, `POST /login with the anonymous token: ${res.status} ${res.text}`);
  assertClearsHostCookie(res, CSRF_COOKIE, { what: 'login' });
  const id = setCookieSid(res, 'POST /login');
  assert.ok(await d.store.exists(id), `login stores the session: ${d.store.where(id)}`);
  for (const [what, from] of [
    ['the logged-in browser', () => jar.clone()],
    [
      'the logged-in browser with the pre-login cookie put back',
      () => d.jar({ [COOKIE]: jar.get(COOKIE)!, [CSRF_COOKIE]: preLoginCookie }),
    ],
  ] as const) {
    for (const path of ['/logout', '/login']) {
      const r = await https.post(path, {
        jar: from(),
        json: { username: USER, password: PASSWORD },
        headers: { 'x-csrf-token': preLogin },
      });
      assert.equal(r.status, 403, `POST ${path} with the pre-login token from ${what}: ${r.status} ${r.text}`);
    }
  }
  const still = await getSession(https, jar);
  assert.equal(still.authenticated, true, 'the pre-login token changed nothing');
  assert.notEqual(still.token, preLogin, 'the session has its own token');
};
