// The checks about the CSRF token: state-changing requests without the visitor's own token are
// refused on every route and method, and the token changes at login. Rows #10 and #16.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { COOKIE, CSRF_COOKIE, PASSWORD, USER } from '../constants.ts';
import { CookieJar } from '../https-client.ts';
import { getSession } from '../session-contract.ts';
import { anonymousCsrfToken, assertNothingLogged, login, sid, type Check } from './steps.ts';

/** #10: CSRF. */
export const csrfTokens: Check = async (d) => {
  const https = d.main.https();
  const creds = { username: USER, password: PASSWORD };
  const noSession = await https.post('/login', { json: creds });
  assert.equal(noSession.status, 403, `POST /login without any session: ${noSession.status} ${noSession.text}`);

  const jar = d.jar();
  const { token: preLogin } = await getSession(https, jar);
  const preLoginCookie = jar.get(CSRF_COOKIE)!;
  const { token: othersToken } = await getSession(https, d.jar());
  const bad: Array<[string, Record<string, string>, unknown?, CookieJar?]> = [
    ['no token', {}],
    ['an empty token', { 'x-csrf-token': '' }],
    ['a made-up token', { 'x-csrf-token': randomBytes(32).toString('base64url') }],
    ["another visitor's token", { 'x-csrf-token': othersToken }],
    ['the token with a character added', { 'x-csrf-token': `${preLogin}x` }],
    ['the token in the body instead of the header', {}, { ...creds, csrfToken: preLogin, _csrf: preLogin }],
    ['the token without its cookie', { 'x-csrf-token': preLogin }, undefined, d.jar()],
    [
      'the token signed with another secret',
      { 'x-csrf-token': anonymousCsrfToken(preLoginCookie, randomBytes(24).toString('hex')) },
    ],
  ];
  for (const [what, headers, body, from] of bad) {
    const res = await https.post('/login', { jar: (from ?? jar).clone(), json: body ?? creds, headers });
    assert.equal(res.status, 403, `POST /login with ${what}: ${res.status} ${res.text}`);
    assert.equal(
      typeof (res.json as { error?: unknown } | undefined)?.error,
      'string',
      `POST /login with ${what}: a JSON error: ${res.text}`,
    );
  }
  const still = await getSession(https, jar);
  assert.equal(still.authenticated, false, 'the refused logins changed nothing');
  assert.equal(jar.get(COOKIE), undefined, 'the refused logins started no session');

  const { token: loggedIn } = await login(https, jar);
  assert.notEqual(loggedIn, preLogin, 'login must issue a new CSRF token');
  assert.equal((await getSession(https, jar)).token, loggedIn, 'GET /session hands out the new token');
  assert.equal(jar.get(CSRF_COOKIE), undefined, "login clears the anonymous token's cookie");
  const withPreLoginCookie = () => d.jar({ [COOKIE]: jar.get(COOKIE)!, [CSRF_COOKIE]: preLoginCookie });
  for (const [what, headers, from] of [
    ['no token', {}, () => jar.clone()],
    ['the pre-login token', { 'x-csrf-token': preLogin }, () => jar.clone()],
    ['the pre-login token and its cookie', { 'x-csrf-token': preLogin }, withPreLoginCookie],
    ["another visitor's token", { 'x-csrf-token': othersToken }, () => jar.clone()],
  ] as const) {
    const res = await https.post('/logout', { jar: from(), headers });
    assert.equal(res.status, 403, `POST /logout with ${what}: ${res.status} ${res.text}`);
    const again = await https.post('/login', { jar: from(), json: creds, headers });
    assert.equal(again.status, 403, `POST /login, logged in, with ${what}: ${again.status} ${again.text}`);
    assert.equal((await getSession(https, jar)).authenticated, true, `POST /logout with ${what} must not log out`);
  }
  const out = await https.post('/logout', { jar, headers: { 'x-csrf-token': loggedIn } });
  assert.equal(out.status, 204, `POST /logout with the session's token: ${out.status} ${out.text}`);
};

/** #16: every unsafe route needs the token. */
export const unsafeMethods: Check = async (d) => {
  const https = d.main.https();
  const mark = d.main.stderr().length;
  const anonymous = d.jar();
  const { token: anonToken } = await getSession(https, anonymous);
  const loggedIn = d.jar();
  const { token: preLoginToken } = await getSession(https, loggedIn);
  const preLogin = loggedIn.get(CSRF_COOKIE)!;
  const { token: sessionToken } = await login(https, loggedIn);
  const before = await d.store.ids();
  // the app's routes, and paths where no route takes this method, or none at all
  const paths = ['/login', '/logout', '/session', '/no-such-route', '/', '/health', '/assets/app.js'];
  const refused: Array<[string, () => CookieJar, Record<string, string>]> = [
    ['anonymous, no token', () => anonymous.clone(), {}],
    ['anonymous, a made-up token', () => anonymous.clone(), { 'x-csrf-token': randomBytes(32).toString('base64url') }],
    ['anonymous, the token without its cookie', () => d.jar(), { 'x-csrf-token': anonToken }],
    ['logged in, no token', () => loggedIn.clone(), {}],
    [
      'logged in, the pre-login token and its cookie',
      () => d.jar({ [COOKIE]: loggedIn.get(COOKIE)!, [CSRF_COOKIE]: preLogin }),
      { 'x-csrf-token': preLoginToken },
    ],
    ["logged in, another visitor's token", () => loggedIn.clone(), { 'x-csrf-token': anonToken }],
  ];
  let requests = 0;
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
    for (const path of paths) {
      for (const [what, jar, headers] of refused) {
        const res = await https.request({
          method,
          path,
          jar: jar(),
          json: { username: USER, password: PASSWORD },
          headers,
        });
        requests++;
        assert.equal(res.status, 403, `${method} ${path} (${what}): ${res.status} ${res.text}`);
        assert.deepEqual(
          res.json,
          { error: 'missing or invalid CSRF token' },
          `${method} ${path} (${what}): a JSON 403: ${res.text}`,
        );
        if (what.startsWith('anonymous'))
          assert.deepEqual(res.setCookies, [], `${method} ${path} (${what}): a refused request sets no cookie`);
      }
      // With the token, the request reaches routing: the route's own answer, or 404 where there is none.
      const routed = method === 'POST' && (path === '/login' || path === '/logout');
      const reached = await https.request({
        method,
        path,
        jar: anonymous.clone(),
        headers: { 'x-csrf-token': anonToken },
        ...(path === '/login' ? { json: { username: USER, password: PASSWORD } } : {}),
      });
      requests++;
      if (routed)
        assert.equal(
          reached.status,
          path === '/login' ? 200 : 204,
          `${method} ${path} with the anonymous token: ${reached.status} ${reached.text}`,
        );
      else
        assert.deepEqual(
          [reached.status, reached.json],
          [404, { error: 'not found' }],
          `${method} ${path} with the anonymous token reaches routing: ${reached.status} ${reached.text}`,
        );
      if (!routed) {
        const withSession = await https.request({
          method,
          path,
          jar: loggedIn.clone(),
          headers: { 'x-csrf-token': sessionToken },
        });
        requests++;
        assert.deepEqual(
          [withSession.status, withSession.json],
          [404, { error: 'not found' }],
          `${method} ${path} with the session's token reaches routing: ${withSession.status} ${withSession.text}`,
        );
      }
    }
  }
  const after = await getSession(https, loggedIn);
  assert.equal(after.authenticated, true, 'the refused requests logged nobody out');
  assert.equal(after.token, sessionToken, 'the refused requests changed nothing in the session');
  const added = [...(await d.store.ids())].filter((id) => !before.has(id) && id !== sid(loggedIn));
  assert.ok(
    added.length <= 1,
    `only the one anonymous POST /login with its token may add a session: ${added.join(', ')}`,
  );
  console.log(
    `# ${d.setup.id}: ${requests} unsafe requests on ${paths.length} paths: ` +
      `without a valid token all 403, with one all routed`,
  );
  assertNothingLogged(d.main, mark, 'unsafe requests');
};
