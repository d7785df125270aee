// The checks about the session cookie itself: how production sets it, a new id at login, what
// logout leaves, secret rotation, and forged ids. Rows #1, #3, #4, #7 and #8 of security-properties.ts.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { COOKIE, CSRF_COOKIE, PASSWORD, USER } from '../constants.ts';
import { CookieJar, findSetCookie } from '../https-client.ts';
import { assertClearsHostCookie, assertNewIdAtLogin, getSession } from '../session-contract.ts';
import { sessionIdFromCookie } from '../store-clients.ts';
import {
  anonymousCsrfToken,
  assertNoSessionCookie,
  assertNothingLogged,
  assertProductionCookie,
  login,
  setCookieSid,
  sid,
  signedWith,
  signSessionId,
  type Check,
} from './steps.ts';

/** #1: the production cookie. */
export const productionCookie: Check = async (d) => {
  const https = d.main.https();
  const jar = d.jar();
  const { res, token } = await getSession(https, jar);
  assertNoSessionCookie(res, 'GET /session (anonymous)');
  const loggedIn = await https.post('/login', {
    jar,
    json: { username: USER, password: PASSWORD },
    headers: { 'x-csrf-token': token },
  });
  assert.equal(loggedIn.status, 200, `POST /login: ${loggedIn.status} ${loggedIn.text}`);
  assertProductionCookie(loggedIn, 'POST /login', { atLogin: true });
  assertProductionCookie((await getSession(https, jar)).res, 'GET /session (logged in)');
};

/** #3: login issues a new id; the pre-login id is dead. */
export const newIdAtLogin: Check = async (d) => {
  const https = d.main.https();
  const jar = d.jar();
  // The id a browser holds before login: its earlier session (an anonymous visitor has none) ...
  await login(https, jar);
  const earlier = sid(jar);
  assert.ok(await d.store.exists(earlier), `the first login's session should be stored: ${d.store.where(earlier)}`);
  const { replay } = await assertNewIdAtLogin({
    cookie: COOKIE,
    jar,
    relogin: async () => {
      const { res } = await login(https, jar);
      assert.equal(sid(jar), setCookieSid(res, 'POST /login'));
    },
    session: (j, what) => getSession(https, j, what),
    newJar: (initial) => d.jar(initial),
    afterLogin: async ({ after: loggedIn }) => {
      assert.ok(await d.store.exists(loggedIn), `the logged-in session should be stored: ${d.store.where(loggedIn)}`);
      assert.equal(
        await d.store.exists(earlier),
        false,
        `login must delete the pre-login session: ${d.store.where(earlier)}`,
      );
    },
  });
  assertNoSessionCookie(replay.res, 'GET /session with the pre-login cookie');
  assert.equal(await d.store.exists(earlier), false, `the pre-login id must stay dead: ${d.store.where(earlier)}`);

  // ... or one an attacker planted, signed with the app's own secret: never stored, never kept.
  const planted = `planted-${randomBytes(9).toString('base64url')}`;
  const victim = d.jar({ [COOKIE]: encodeURIComponent(signSessionId(planted, d.secret)) });
  const { res: afterPlant } = await login(https, victim);
  assert.notEqual(
    setCookieSid(afterPlant, 'POST /login with a planted id'),
    planted,
    'login must not keep a planted id',
  );
  assert.equal(await d.store.exists(planted), false, `a planted id must never be stored: ${d.store.where(planted)}`);
};

/** #4: logout destroys the session server-side. */
export const logoutDestroys: Check = async (d) => {
  const https = d.main.https();
  const jar = d.jar();
  const { token } = await login(https, jar);
  const cookie = jar.get(COOKIE)!;
  const id = sid(jar);
  assert.ok(await d.store.exists(id), `after login: ${d.store.where(id)} should exist`);

  const res = await https.post('/logout', { jar, headers: { 'x-csrf-token': token } });
  assert.equal(res.status, 204, `POST /logout: ${res.status} ${res.text}`);
  assert.equal(await d.store.exists(id), false, `after logout: ${d.store.where(id)} should be gone`);
  assertClearsHostCookie(res, COOKIE, { what: 'logout', withoutDomain: true });

  const replay = d.jar({ [COOKIE]: cookie });
  assert.equal(
    (await getSession(https, replay.clone(), 'GET /session with the logged-out cookie')).authenticated,
    false,
    'the logged-out cookie must not be logged in',
  );
  const again = await https.post('/logout', { jar: replay, headers: { 'x-csrf-token': token } });
  assert.equal(again.status, 403, `replaying the logout with the old cookie and token: ${again.status} ${again.text}`);
  assert.equal(await d.store.exists(id), false, `the replays must not bring ${d.store.where(id)} back`);
};

/** #7: secret rotation. */
export const secretRotation: Check = async (d) => {
  const instance = d.main;
  const https = instance.https();
  const old = d.secret;
  const fresh = randomBytes(24).toString('hex');
  try {
    const oldJar = d.jar();
    await login(https, oldJar);
    const oldCookie = oldJar.get(COOKIE)!;
    const oldId = sid(oldJar);
    assert.ok(signedWith(oldCookie, old), `the cookie should be signed with the current secret: ${oldCookie}`);
    // an anonymous visitor's token, an HMAC of its cookie
    const anonJar = d.jar();
    const { token: oldAnon } = await getSession(https, anonJar);
    const anonValue = anonJar.get(CSRF_COOKIE)!;
    assert.equal(
      oldAnon,
      anonymousCsrfToken(anonValue, old),
      `the anonymous token should be the HMAC of its cookie with the current secret: ${oldAnon}`,
    );
    const anonLogin = (jar: CookieJar, token: string) =>
      https.post('/login', { jar, json: { username: USER, password: PASSWORD }, headers: { 'x-csrf-token': token } });

    await instance.restart({ SESSION_SECRET: `${fresh},${old}` });
    const during = await getSession(
      https,
      oldJar.clone(),
      'GET /session with an old-signed cookie, SESSION_SECRET=new,old',
    );
    assert.equal(during.authenticated, true, 'with SESSION_SECRET=new,old a cookie signed with old must still work');
    const resent = findSetCookie(during.res, COOKIE);
    assert.ok(resent, `the app re-sends the cookie (rolling); Set-Cookie: ${JSON.stringify(during.res.setCookies)}`);
    assert.equal(sessionIdFromCookie(resent.value), oldId, 'the same session');
    assert.ok(
      signedWith(resent.value, fresh) && !signedWith(resent.value, old),
      `the re-sent cookie must be signed with the new secret: ${resent.value}`,
    );
    const anonDuring = await getSession(
      https,
      anonJar.clone(),
      'GET /session with the anonymous cookie, SESSION_SECRET=new,old',
    );
    assert.equal(
      anonDuring.token,
      anonymousCsrfToken(anonValue, fresh),
      'GET /session hands out the anonymous token signed with new',
    );
    const withOldAnon = await anonLogin(anonJar.clone(), oldAnon);
    assert.equal(
      withOldAnon.status,
      200,
      `with SESSION_SECRET=new,old an anonymous token signed with old ` +
        `must still log in: ${withOldAnon.status} ${withOldAnon.text}`,
    );
    const newJar = d.jar();
    await login(https, newJar);
    const newCookie = newJar.get(COOKIE)!;
    assert.ok(
      signedWith(newCookie, fresh) && !signedWith(newCookie, old),
      `a new login's cookie must be signed with the new secret: ${newCookie}`,
    );

    await instance.restart({ SESSION_SECRET: fresh });
    const after = await getSession(
      https,
      d.jar({ [COOKIE]: oldCookie }),
      'GET /session with an old-signed cookie, SESSION_SECRET=new',
    );
    assert.equal(after.authenticated, false, 'without old in SESSION_SECRET, a cookie signed with old must not work');
    // anonymous: not the old session, and no new one
    assertNoSessionCookie(after.res, 'GET /session with an old-signed cookie');
    const withoutOld = await anonLogin(anonJar.clone(), oldAnon);
    assert.equal(
      withoutOld.status,
      403,
      `without old in SESSION_SECRET, an anonymous token signed with ` +
        `old must get 403: ${withoutOld.status} ${withoutOld.text}`,
    );
    const withNew = await anonLogin(anonJar.clone(), anonDuring.token);
    assert.equal(withNew.status, 200, `the anonymous token signed with new logs in: ${withNew.status} ${withNew.text}`);
    assert.equal(
      (await getSession(https, d.jar({ [COOKIE]: resent.value }))).authenticated,
      true,
      'the cookie re-signed with new goes on working',
    );
    assert.equal((await getSession(https, newJar)).authenticated, true, 'a cookie signed with new goes on working');
  } finally {
    await instance.restart(); // back to SESSION_SECRET=old for the other tests
  }
};

/** #8: tampered / unknown ids. */
export const forgedIds: Check = async (d) => {
  const https = d.main.https();
  const mark = d.main.stderr().length;
  const jar = d.jar();
  const { token } = await login(https, jar);
  const real = jar.get(COOKIE)!;
  const realId = sid(jar);
  const decoded = decodeURIComponent(real);
  const signature = decoded.slice(decoded.lastIndexOf('.') + 1);
  const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
  const attackerId = `attacker-${randomBytes(9).toString('base64url')}`;
  const enc = encodeURIComponent;
  const cases: Array<[string, string]> = [
    ['a logged-in id with one character of its signature changed', enc(`s:${realId}.${flipped}`)],
    ['a logged-in id with its signature cut off', enc(`s:${realId}`)],
    ['a logged-in id with an empty signature', enc(`s:${realId}.`)],
    ['a logged-in id, unsigned', realId],
    ['a logged-in id signed with another secret', enc(signSessionId(realId, randomBytes(24).toString('hex')))],
    [
      "an attacker's id, signed with the app's own secret (unknown to the store)",
      enc(signSessionId(attackerId, d.secret)),
    ],
    ["an attacker's id, unsigned", attackerId],
    ["an attacker's id with a made-up signature", enc(`s:${attackerId}.${flipped}`)],
    ['just "s:"', enc('s:')],
    ['a broken percent-encoding', '%E0%A4%A'],
    ['4000 characters', 'x'.repeat(4000)],
    ['a quoted value', `"${enc(`s:${realId}.${flipped}`)}"`],
  ];
  const before = await d.store.ids();
  for (const [what, value] of cases) {
    const forged = d.jar({ [COOKIE]: value });
    const res = await https.get('/session', { jar: forged });
    assert.equal(res.status, 200, `${what}: GET /session should answer 200, not ${res.status} ${res.text}`);
    assert.equal((res.json as { authenticated?: unknown }).authenticated, false, `${what}: must be anonymous`);
    assertNoSessionCookie(res, what); // neither adopted nor replaced by a new session: anonymous visitors store nothing
    const posted = await https.post('/login', {
      jar: d.jar({ [COOKIE]: value }),
      json: { username: USER, password: PASSWORD },
      headers: { 'x-csrf-token': token },
    });
    assert.equal(
      posted.status,
      403,
      `${what}: POST /login with the real session's token but a forged cookie: ${posted.status} ${posted.text}`,
    );
    const logout = await https.post('/logout', { jar: d.jar({ [COOKIE]: value }), headers: { 'x-csrf-token': token } });
    assert.equal(logout.status, 403, `${what}: POST /logout: ${logout.status} ${logout.text}`);
  }
  assert.equal(
    await d.store.exists(attackerId),
    false,
    `the attacker's id must never be stored: ${d.store.where(attackerId)}`,
  );
  const added = [...(await d.store.ids())].filter((id) => !before.has(id));
  assert.ok(!added.includes(attackerId) && !added.includes(realId), `new ids: ${added.join(', ')}`);
  assert.equal((await getSession(https, jar)).authenticated, true, 'the real session is untouched by all of this');
  assertNothingLogged(d.main, mark, 'forged cookies');
};
