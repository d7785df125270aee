// The security suites' tests: one check per row of SECURITY_PROPERTIES (security-properties.ts),
// registered once per setup the row lists, by `securitySuite(setupId)`. Each check talks to a real
// deployment (security-deployment.ts) over HTTPS from 127.0.0.x and reads the session store
// directly; none of them trusts what the app says about itself when the store can tell.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Agent as HttpsAgent } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PROXIES } from '../../src/proxies/index.ts';
import { changePassword } from './app-process.ts';
import { STACK_LINE } from './assertions.ts';
import { describeRun, runProcess } from './cli.ts';
import { client, cookieLifetimeSeconds, CookieJar, findSetCookie, headerValues, parseSetCookie, type Client, type Response } from './https-client.ts';
import { isListening } from './ports.ts';
import { sleep } from './processes.ts';
import {
  COOKIE,
  CSRF_COOKIE,
  deploy,
  DOMAIN,
  PASSWORD,
  FIXED_MAX_AGE_S,
  SHORT_ABSOLUTE_S,
  SHORT_MAX_AGE_S,
  STORE_SERVERS,
  USER,
  type Deployment,
  type Echoed,
  type Instance,
} from './security-deployment.ts';
import { propertiesFor, propertyTestName, SECURITY_PROPERTIES, SECURITY_SETUPS, type SecurityProperty, type SetupId } from './security-properties.ts';
import { assertHostCookieAttributes, getSession, logIn, sessionIdIn } from './session-contract.ts';
import { sessionIdFromCookie } from './store-clients.ts';
import { runTestssl } from './testssl.ts';
import { findTool, needs, needsTools, requireTool } from './tools.ts';

const ONE_YEAR = 31_536_000;
const WRONG = 'not the password';

// ---- small steps, each asserting what it relies on ----

const login = (c: Client, jar: CookieJar) => logIn(c, jar, { username: USER, password: PASSWORD });
const sid = (jar: CookieJar) => sessionIdIn(jar, COOKIE);

/** The session id a response's Set-Cookie gives, asserting there is one. */
function setCookieSid(res: Response, what: string): string {
  const cookie = findSetCookie(res, COOKIE);
  assert.ok(cookie && cookie.value !== '', `${what}: expected a ${COOKIE} cookie; Set-Cookie: ${JSON.stringify(res.setCookies)}`);
  return sessionIdFromCookie(cookie.value);
}

/** `s:<sid>.<signature>` as express-session (cookie-signature) makes it: base64 HMAC-SHA256 of the id, no `=` padding. */
export function signSessionId(id: string, secret: string): string {
  return `s:${id}.${createHmac('sha256', secret).update(id).digest('base64').replace(/=+$/, '')}`;
}

/** Is this cookie value (URL-encoded, as sent) the session id signed with `secret`? */
function signedWith(value: string, secret: string): boolean {
  const decoded = decodeURIComponent(value);
  return decoded === signSessionId(sessionIdFromCookie(value), secret);
}

/** The anonymous CSRF token for a value of its cookie, as the app makes it: HMAC-SHA256 with the secret, base64url. */
export function anonymousCsrfToken(value: string, secret: string): string {
  return createHmac('sha256', secret).update(`csrf-anonymous:${value}`).digest('base64url');
}

/** No session was started: no session cookie with a value (an anonymous visitor stores nothing). */
function assertNoSessionCookie(res: Response, what: string): void {
  const cookie = findSetCookie(res, COOKIE);
  assert.ok(cookie === undefined || cookie.value === '', `${what}: no session may be started for an anonymous visitor; Set-Cookie: ${JSON.stringify(res.setCookies)}`);
}

/** The anonymous token's cookie as set: `__Host-csrf`, Path=/, no Domain, HttpOnly, Secure, SameSite=Strict. */
function assertCsrfCookie(res: Response, what: string): string {
  const cookie = findSetCookie(res, CSRF_COOKIE);
  assert.ok(cookie && cookie.value !== '', `${what}: expected a ${CSRF_COOKIE} cookie; Set-Cookie: ${JSON.stringify(res.setCookies)}`);
  assertHostCookieAttributes(cookie, { sameSite: 'strict', what });
  return cookie.value;
}

/** The session cookie as production sets it; `atLogin`: the response may also clear the anonymous token's cookie. */
function assertProductionCookie(res: Response, what: string, { atLogin = false } = {}): void {
  const cookie = findSetCookie(res, COOKIE);
  assert.ok(cookie, `${what}: no ${COOKIE} cookie; Set-Cookie: ${JSON.stringify(res.setCookies)}`);
  const others = res.setCookies.map(parseSetCookie).filter((c) => c.name !== COOKIE);
  const cleared = (c: ReturnType<typeof parseSetCookie>) => atLogin && c.name === CSRF_COOKIE && c.value === '' && (cookieLifetimeSeconds(c) ?? 1) <= 0;
  assert.deepEqual(
    others.filter((c) => !cleared(c)).map((c) => c.raw),
    [],
    `${what}: the session cookie should be the only cookie, named ${COOKIE}${atLogin ? ` (besides clearing ${CSRF_COOKIE})` : ''}: ${JSON.stringify(res.setCookies)}`,
  );
  assert.match(cookie.value, /^s%3A/, `${what}: a signed session id: ${cookie.raw}`);
  assertHostCookieAttributes(cookie, { what });
}

/** The app's stderr gained no stack trace and no "internal server error" since `mark`. */
function assertNothingLogged(instance: Instance, mark: number, what: string): void {
  const added = instance.stderr().slice(mark);
  assert.doesNotMatch(added, STACK_LINE, `${what}: the app logged a stack trace (a 500?):\n${added}`);
  assert.doesNotMatch(added, /internal server error|Error:/i, `${what}: the app logged an error:\n${added}`);
}

/** Throttled: 429 with a Retry-After in the future. */
function assertThrottled(res: Response, what: string): void {
  assert.equal(res.status, 429, `${what}: expected 429, got ${res.status} ${res.text}`);
  const retry = Number(res.headers['retry-after']);
  assert.ok(Number.isInteger(retry) && retry > 0, `${what}: Retry-After should be a number of seconds: ${res.headers['retry-after']}`);
}

/** Ten failed logins (401 each) then the 11th is 429; `client(i)` makes the i-th request's client. */
async function exhaustThrottle(client: (i: number) => Client, jar: CookieJar, token: string, who: string): Promise<void> {
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) {
    const res = await client(i).post('/login', { jar: jar.clone(), json: { username: USER, password: WRONG }, headers: { 'x-csrf-token': token } });
    statuses.push(res.status);
    if (i === 10) assertThrottled(res, `${who}: the 11th failed login`);
  }
  assert.deepEqual(statuses, [...Array(10).fill(401), 429], `${who}: ten 401s, then 429`);
}

// ---- one check per property ----

type Check = (d: Deployment) => Promise<void>;

export const CHECKS: Record<number, Check> = {
  // 1. the production cookie
  1: async (d) => {
    const https = d.main.https();
    const jar = d.jar();
    const { res, token } = await getSession(https, jar);
    assertNoSessionCookie(res, 'GET /session (anonymous)');
    const loggedIn = await https.post('/login', { jar, json: { username: USER, password: PASSWORD }, headers: { 'x-csrf-token': token } });
    assert.equal(loggedIn.status, 200, `POST /login: ${loggedIn.status} ${loggedIn.text}`);
    assertProductionCookie(loggedIn, 'POST /login', { atLogin: true });
    assertProductionCookie((await getSession(https, jar)).res, 'GET /session (logged in)');
  },

  // 2. plain HTTP never gets a cookie; HSTS exactly once
  2: async (d) => {
    const https = d.main.https();
    const jar = d.jar();
    await login(https, jar);
    const paths = ['/', '/session', '/health', '/assets/app.js', '/no-such-page'];
    for (const [label, j] of [['anonymous', d.jar()], ['logged in', jar]] as const) {
      for (const path of paths) {
        const res = await https.get(path, { jar: j.clone() });
        const hsts = headerValues(res, 'strict-transport-security');
        assert.equal(hsts.length, 1, `GET ${path} (${label}): ${hsts.length} Strict-Transport-Security headers: ${JSON.stringify(hsts)}`);
        const maxAges = [...hsts[0]!.matchAll(/max-age=(\d+)/gi)];
        assert.equal(maxAges.length, 1, `GET ${path}: one max-age in ${hsts[0]}`);
        assert.ok(Number(maxAges[0]![1]) >= ONE_YEAR, `GET ${path}: HSTS max-age should be at least ${ONE_YEAR}: ${hsts[0]}`);
      }
    }

    const proxy = d.setup.proxy;
    if (proxy === 'nginx' || proxy === 'caddy') {
      // The proxy's port 80 only redirects, whatever the request, and never sets a cookie.
      for (const [method, path, body] of [
        ['GET', '/session?x=1', undefined],
        ['GET', '/', undefined],
        ['POST', '/login', { username: USER, password: PASSWORD }],
      ] as const) {
        const res = await d.main.http().request({ method, path, jar: jar.clone(), json: body });
        assert.ok([301, 302, 307, 308].includes(res.status), `plain HTTP ${method} ${path}: expected a redirect, got ${res.status} ${res.text}`);
        const location = String(res.headers.location);
        assert.ok(location.startsWith(`https://${DOMAIN}`), `plain HTTP ${method} ${path}: should redirect to https://${DOMAIN}…, not ${location}`);
        assert.ok(location.endsWith(path), `plain HTTP ${method} ${path}: the redirect should keep the path: ${location}`);
        assert.deepEqual(res.setCookies, [], `plain HTTP ${method} ${path}: no Set-Cookie`);
      }
    } else if (proxy === 'none') {
      // The app's only port speaks TLS: plain HTTP is refused (an error, or a 4xx), never answered with a cookie.
      const res = await d.main.http().get('/session', { jar: d.jar(), timeoutMs: 5000 }).catch((error: Error) => error);
      if (!(res instanceof Error)) {
        assert.ok(res.status >= 400, `plain HTTP to the app's TLS port should not be served: ${res.status} ${res.text}`);
        assert.deepEqual(res.setCookies, [], 'plain HTTP must never get a session cookie');
      }
    } else {
      // paas, custom: the router / proxy forwards plain HTTP with X-Forwarded-Proto: http. The app
      // must not send the Secure cookie over it (a browser would drop it, and it must never travel in clear).
      for (const [method, path, body] of [
        ['GET', '/session', undefined],
        ['POST', '/login', { username: USER, password: PASSWORD }],
      ] as const) {
        const res = await d.main.http().request({ method, path, jar: d.jar(), json: body });
        assert.ok(res.status < 500, `plain HTTP ${method} ${path} through the front: ${res.status} ${res.text}`);
        assert.deepEqual(res.setCookies, [], `plain HTTP ${method} ${path} (X-Forwarded-Proto: http from the trusted front): no Set-Cookie`);
      }
    }
  },

  // 3. login issues a new id; the pre-login id is dead
  3: async (d) => {
    const https = d.main.https();
    const jar = d.jar();
    // The id a browser holds before login: its earlier session (an anonymous visitor has none) ...
    await login(https, jar);
    const before = jar.get(COOKIE)!;
    const earlier = sid(jar);
    assert.ok(await d.store.exists(earlier), `the first login's session should be stored: ${d.store.where(earlier)}`);
    const { res } = await login(https, jar);
    const loggedIn = setCookieSid(res, 'POST /login');
    assert.notEqual(loggedIn, earlier, 'login must issue a new session id (session fixation)');
    assert.equal(sid(jar), loggedIn);
    assert.ok(await d.store.exists(loggedIn), `the logged-in session should be stored: ${d.store.where(loggedIn)}`);
    assert.equal(await d.store.exists(earlier), false, `login must delete the pre-login session: ${d.store.where(earlier)}`);
    assert.equal((await getSession(https, jar)).authenticated, true, 'the new cookie is logged in');

    const replay = await getSession(https, d.jar({ [COOKIE]: before }), 'GET /session with the pre-login cookie');
    assert.equal(replay.authenticated, false, 'the pre-login cookie must not be logged in');
    assertNoSessionCookie(replay.res, 'GET /session with the pre-login cookie');
    assert.equal(await d.store.exists(earlier), false, `the pre-login id must stay dead: ${d.store.where(earlier)}`);

    // ... or one an attacker planted, signed with the app's own secret: never stored, never kept.
    const planted = `planted-${randomBytes(9).toString('base64url')}`;
    const victim = d.jar({ [COOKIE]: encodeURIComponent(signSessionId(planted, d.secret)) });
    const { res: afterPlant } = await login(https, victim);
    assert.notEqual(setCookieSid(afterPlant, 'POST /login with a planted id'), planted, 'login must not keep a planted id');
    assert.equal(await d.store.exists(planted), false, `a planted id must never be stored: ${d.store.where(planted)}`);
  },

  // 4. logout destroys the session server-side
  4: async (d) => {
    const https = d.main.https();
    const jar = d.jar();
    const { token } = await login(https, jar);
    const cookie = jar.get(COOKIE)!;
    const id = sid(jar);
    assert.ok(await d.store.exists(id), `after login: ${d.store.where(id)} should exist`);

    const res = await https.post('/logout', { jar, headers: { 'x-csrf-token': token } });
    assert.equal(res.status, 204, `POST /logout: ${res.status} ${res.text}`);
    assert.equal(await d.store.exists(id), false, `after logout: ${d.store.where(id)} should be gone`);
    const cleared = findSetCookie(res, COOKIE);
    assert.ok(cleared, `logout should clear ${COOKIE}; Set-Cookie: ${JSON.stringify(res.setCookies)}`);
    assert.equal(cleared.value, '', cleared.raw);
    const lifetime = cookieLifetimeSeconds(cleared);
    assert.ok(lifetime !== undefined && lifetime <= 0, `the clearing cookie must expire at once: ${cleared.raw}`);
    assert.ok(cleared.attributes.has('secure'), `a __Host- cookie is only cleared with Secure: ${cleared.raw}`);
    assert.equal(cleared.attributes.get('path'), '/', `a __Host- cookie is only cleared with Path=/: ${cleared.raw}`);
    assert.equal(cleared.attributes.has('domain'), false, `a __Host- cookie is only cleared without Domain: ${cleared.raw}`);

    const replay = d.jar({ [COOKIE]: cookie });
    assert.equal((await getSession(https, replay.clone(), 'GET /session with the logged-out cookie')).authenticated, false, 'the logged-out cookie must not be logged in');
    const again = await https.post('/logout', { jar: replay, headers: { 'x-csrf-token': token } });
    assert.equal(again.status, 403, `replaying the logout with the old cookie and token: ${again.status} ${again.text}`);
    assert.equal(await d.store.exists(id), false, `the replays must not bring ${d.store.where(id)} back`);
  },

  // 5. idle timeout, enforced by the server
  5: async (d) => {
    const { instance, store } = await d.short();
    const https = instance.https();
    const jar = d.jar();
    const { res } = await login(https, jar);
    const lifetime = cookieLifetimeSeconds(findSetCookie(res, COOKIE)!);
    assert.ok(lifetime !== undefined && Math.abs(lifetime - SHORT_MAX_AGE_S) <= 1, `the cookie should live ${SHORT_MAX_AGE_S} s: ${res.setCookies.join(' | ')}`);
    const cookie = jar.get(COOKIE)!;
    const id = sid(jar);
    assert.equal((await getSession(https, jar)).authenticated, true, 'logged in right after login');
    await sleep(SHORT_MAX_AGE_S * 1000 + 1000); // idle past --max-age
    // The client still has the cookie (a client that ignores Max-Age, or a stolen copy): the server decides.
    const replay = await getSession(https, d.jar({ [COOKIE]: cookie }), `GET /session after ${SHORT_MAX_AGE_S + 1} s idle, replaying the cookie`);
    assert.equal(replay.authenticated, false, `after ${SHORT_MAX_AGE_S + 1} s idle the server must reject the session`);
    assertNoSessionCookie(replay.res, 'GET /session after the idle timeout'); // anonymous: neither the lapsed session nor a new one
    const record = await store.session(id);
    assert.ok(
      !record.exists || (record.expiresAtMs !== undefined && record.expiresAtMs <= Date.now()),
      `${store.where(id)} should be gone, or carry an expiry that has passed: ${JSON.stringify(record)}`,
    );
  },

  // 6. absolute timeout under constant activity
  6: async (d) => {
    const { instance, store } = await d.short();
    const https = instance.https();
    const jar = d.jar();
    await getSession(https, jar);
    const t0 = Date.now(); // the server's authenticatedAt is after this...
    await login(https, jar);
    const loginDone = Date.now(); // ...and before this
    const cookie = jar.get(COOKIE)!;
    const id = sid(jar);
    const limit = SHORT_ABSOLUTE_S * 1000;
    const seen: Array<{ sentMs: number; doneMs: number; authenticated: boolean }> = [];
    // Until 2 s past the limit counted from the end of the login, which is a scrypt check (slow on a busy machine).
    for (let k = 1; t0 + k * 1000 <= loginDone + limit + 2000; k++) {
      await sleep(Math.max(0, t0 + k * 1000 - Date.now())); // one request a second: never idle for --max-age
      const sent = Date.now();
      const s = await getSession(https, jar, `GET /session ${k} s after login`);
      seen.push({ sentMs: sent - t0, doneMs: Date.now() - t0, authenticated: s.authenticated });
    }
    const timeline = seen.map((s) => `${s.sentMs}-${s.doneMs} ms: ${s.authenticated ? 'in' : 'out'}`).join(', ');
    for (const s of seen) {
      // answered within the limit of the earliest possible login time: must still be logged in
      if (s.doneMs <= limit) assert.equal(s.authenticated, true, `logged out before the absolute timeout (${timeline})`);
      // sent after the limit of the latest possible login time: must be logged out
      if (s.sentMs - (loginDone - t0) > limit) assert.equal(s.authenticated, false, `still logged in after the absolute timeout (${timeline})`);
    }
    assert.ok(seen.some((s) => s.authenticated && s.sentMs >= (SHORT_MAX_AGE_S + 1) * 1000), `activity should keep the session past --max-age (${timeline})`);
    assert.ok(seen.some((s) => !s.authenticated), `the session must end at the absolute timeout (${timeline})`);
    const firstOut = seen.findIndex((s) => !s.authenticated);
    assert.ok(seen.slice(firstOut).every((s) => !s.authenticated), `once out, never back in (${timeline})`);
    assert.equal((await getSession(https, d.jar({ [COOKIE]: cookie }))).authenticated, false, 'replaying the logged-in cookie after the absolute timeout');
    assert.equal(await store.exists(id), false, `the timed-out session should be deleted: ${store.where(id)}`);
  },

  // 7. secret rotation
  7: async (d) => {
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
      assert.equal(oldAnon, anonymousCsrfToken(anonValue, old), `the anonymous token should be the HMAC of its cookie with the current secret: ${oldAnon}`);
      const anonLogin = (jar: CookieJar, token: string) => https.post('/login', { jar, json: { username: USER, password: PASSWORD }, headers: { 'x-csrf-token': token } });

      await instance.restart({ SESSION_SECRET: `${fresh},${old}` });
      const during = await getSession(https, oldJar.clone(), 'GET /session with an old-signed cookie, SESSION_SECRET=new,old');
      assert.equal(during.authenticated, true, 'with SESSION_SECRET=new,old a cookie signed with old must still work');
      const resent = findSetCookie(during.res, COOKIE);
      assert.ok(resent, `the app re-sends the cookie (rolling); Set-Cookie: ${JSON.stringify(during.res.setCookies)}`);
      assert.equal(sessionIdFromCookie(resent.value), oldId, 'the same session');
      assert.ok(signedWith(resent.value, fresh) && !signedWith(resent.value, old), `the re-sent cookie must be signed with the new secret: ${resent.value}`);
      const anonDuring = await getSession(https, anonJar.clone(), 'GET /session with the anonymous cookie, SESSION_SECRET=new,old');
      assert.equal(anonDuring.token, anonymousCsrfToken(anonValue, fresh), 'GET /session hands out the anonymous token signed with new');
      const withOldAnon = await anonLogin(anonJar.clone(), oldAnon);
      assert.equal(withOldAnon.status, 200, `with SESSION_SECRET=new,old an anonymous token signed with old must still log in: ${withOldAnon.status} ${withOldAnon.text}`);
      const newJar = d.jar();
      await login(https, newJar);
      const newCookie = newJar.get(COOKIE)!;
      assert.ok(signedWith(newCookie, fresh) && !signedWith(newCookie, old), `a new login's cookie must be signed with the new secret: ${newCookie}`);

      await instance.restart({ SESSION_SECRET: fresh });
      const after = await getSession(https, d.jar({ [COOKIE]: oldCookie }), 'GET /session with an old-signed cookie, SESSION_SECRET=new');
      assert.equal(after.authenticated, false, 'without old in SESSION_SECRET, a cookie signed with old must not work');
      assertNoSessionCookie(after.res, 'GET /session with an old-signed cookie'); // anonymous: not the old session, and no new one
      const withoutOld = await anonLogin(anonJar.clone(), oldAnon);
      assert.equal(withoutOld.status, 403, `without old in SESSION_SECRET, an anonymous token signed with old must get 403: ${withoutOld.status} ${withoutOld.text}`);
      const withNew = await anonLogin(anonJar.clone(), anonDuring.token);
      assert.equal(withNew.status, 200, `the anonymous token signed with new logs in: ${withNew.status} ${withNew.text}`);
      assert.equal((await getSession(https, d.jar({ [COOKIE]: resent.value }))).authenticated, true, 'the cookie re-signed with new goes on working');
      assert.equal((await getSession(https, newJar)).authenticated, true, 'a cookie signed with new goes on working');
    } finally {
      await instance.restart(); // back to SESSION_SECRET=old for the other tests
    }
  },

  // 8. tampered / unknown ids
  8: async (d) => {
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
      ["an attacker's id, signed with the app's own secret (unknown to the store)", enc(signSessionId(attackerId, d.secret))],
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
      const posted = await https.post('/login', { jar: d.jar({ [COOKIE]: value }), json: { username: USER, password: PASSWORD }, headers: { 'x-csrf-token': token } });
      assert.equal(posted.status, 403, `${what}: POST /login with the real session's token but a forged cookie: ${posted.status} ${posted.text}`);
      const logout = await https.post('/logout', { jar: d.jar({ [COOKIE]: value }), headers: { 'x-csrf-token': token } });
      assert.equal(logout.status, 403, `${what}: POST /logout: ${logout.status} ${logout.text}`);
    }
    assert.equal(await d.store.exists(attackerId), false, `the attacker's id must never be stored: ${d.store.where(attackerId)}`);
    const added = [...(await d.store.ids())].filter((id) => !before.has(id));
    assert.ok(!added.includes(attackerId) && !added.includes(realId), `new ids: ${added.join(', ')}`);
    assert.equal((await getSession(https, jar)).authenticated, true, 'the real session is untouched by all of this');
    assertNothingLogged(d.main, mark, 'forged cookies');
  },

  // 9. X-Forwarded-* only from the proxy
  9: async (d) => {
    const instance = await d.proxyAddress();
    const proxy = d.setup.proxy;
    const claims = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '6.6.6.6' };
    if (proxy !== 'paas') {
      // A direct request from 127.0.0.2 (not the proxy) claiming to have come over HTTPS from 6.6.6.6.
      const direct = (from: string, headers = claims) => instance.direct({ localAddress: from, headers });
      if (proxy !== 'none') {
        const res = await direct('127.0.0.2').get('/session', { jar: d.jar() });
        // Production redirects plain-HTTP pages to HTTPS; either way, no cookie.
        assert.ok(res.status === 200 || (res.status === 301 && /^https:/.test(String(res.headers.location))), `direct GET /session: ${res.status} ${res.text}`);
        assert.deepEqual(res.setCookies, [], `a direct plain-HTTP request claiming X-Forwarded-Proto: https must not get the Secure cookie: ${JSON.stringify(res.setCookies)}`);
      }
      // req.ip, seen through the login throttle: ten failures from 127.0.0.2 claiming 6.6.6.6 ...
      const jar = d.jar();
      const { token } = await getSession(instance.https(), jar); // a session and its token, to send directly
      await exhaustThrottle(() => direct('127.0.0.2'), jar, token, 'direct from 127.0.0.2 claiming 6.6.6.6');
      // ... throttle 127.0.0.2 whatever it claims, and not 6.6.6.6 when another address claims it.
      const failOnce = (c: Client) => c.post('/login', { jar: jar.clone(), json: { username: USER, password: WRONG }, headers: { 'x-csrf-token': token } });
      assertThrottled(await failOnce(direct('127.0.0.2', { ...claims, 'x-forwarded-for': '7.7.7.7' })), '127.0.0.2 claiming another address: req.ip is the peer, 127.0.0.2');
      const other = await failOnce(direct('127.0.0.5'));
      assert.equal(other.status, 401, `127.0.0.5 claiming 6.6.6.6 must not share 6.6.6.6's (that is, 127.0.0.2's) throttle: ${other.status} ${other.text}`);
    }
    if (proxy !== 'none') {
      // Through the proxy, each client's own address: 127.0.0.3 throttled, 127.0.0.4 not.
      const c3 = instance.https({ localAddress: '127.0.0.3' });
      const c4 = instance.https({ localAddress: '127.0.0.4' });
      const jar3 = d.jar();
      const { token: token3 } = await getSession(c3, jar3);
      await exhaustThrottle(() => c3, jar3, token3, 'through the proxy from 127.0.0.3');
      const jar4 = d.jar();
      const { token: token4 } = await getSession(c4, jar4);
      const wrong4 = await c4.post('/login', { jar: jar4.clone(), json: { username: USER, password: WRONG }, headers: { 'x-csrf-token': token4 } });
      assert.equal(wrong4.status, 401, `127.0.0.4 through the proxy must not share 127.0.0.3's throttle (req.ip would be the proxy's): ${wrong4.status} ${wrong4.text}`);
      const right4 = await c4.post('/login', { jar: jar4, json: { username: USER, password: PASSWORD }, headers: { 'x-csrf-token': token4 } });
      assert.equal(right4.status, 200, `127.0.0.4 logs in: ${right4.status} ${right4.text}`);
      assertThrottled(
        await c3.post('/login', { jar: jar3.clone(), json: { username: USER, password: PASSWORD }, headers: { 'x-csrf-token': token3 } }),
        '127.0.0.3 is still throttled',
      );
    }
  },

  // 10. CSRF
  10: async (d) => {
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
      ['the token signed with another secret', { 'x-csrf-token': anonymousCsrfToken(preLoginCookie, randomBytes(24).toString('hex')) }],
    ];
    for (const [what, headers, body, from] of bad) {
      const res = await https.post('/login', { jar: (from ?? jar).clone(), json: body ?? creds, headers });
      assert.equal(res.status, 403, `POST /login with ${what}: ${res.status} ${res.text}`);
      assert.equal(typeof (res.json as { error?: unknown } | undefined)?.error, 'string', `POST /login with ${what}: a JSON error: ${res.text}`);
    }
    const still = await getSession(https, jar);
    assert.equal(still.authenticated, false, 'the refused logins changed nothing');
    assert.equal(jar.get(COOKIE), undefined, 'the refused logins started no session');

    const { token: loggedIn } = await login(https, jar);
    assert.notEqual(loggedIn, preLogin, 'login must issue a new CSRF token');
    assert.equal((await getSession(https, jar)).token, loggedIn, 'GET /session hands out the new token');
    assert.equal(jar.get(CSRF_COOKIE), undefined, 'login clears the anonymous token\'s cookie');
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
  },

  // 11. login throttle per real client address
  11: async (d) => {
    const instance = await d.proxyAddress();
    // The way a client reaches the app: through the proxy, or straight to it (none).
    const from = (address: string, headers: Record<string, string> = {}) =>
      d.setup.proxy === 'none' ? instance.direct({ localAddress: address, headers }) : instance.https({ localAddress: address, headers });
    const jar = d.jar();
    const { token } = await getSession(from('127.0.0.6'), jar);
    // a new forged X-Forwarded-For on every try
    await exhaustThrottle((i) => from('127.0.0.6', { 'x-forwarded-for': `203.0.113.${i + 1}` }), jar, token, 'from 127.0.0.6, a new X-Forwarded-For each time');
    assertThrottled(
      await from('127.0.0.6', { 'x-forwarded-for': '203.0.113.200' }).post('/login', {
        jar: jar.clone(),
        json: { username: USER, password: PASSWORD },
        headers: { 'x-csrf-token': token },
      }),
      'the right password from the throttled address',
    );
    const jar7 = d.jar();
    const { token: token7 } = await getSession(from('127.0.0.7'), jar7);
    const other = await from('127.0.0.7').post('/login', { jar: jar7, json: { username: USER, password: PASSWORD }, headers: { 'x-csrf-token': token7 } });
    assert.equal(other.status, 200, `another client (127.0.0.7) is not throttled: ${other.status} ${other.text}`);

    if (d.setup.proxy !== 'none') {
      // IPv6 clients as the proxy reports them (these requests come from the proxy's own address,
      // 127.0.0.1, as the proxy's do): one user holds a whole /64, so a new address of the same /64
      // on every try is still one client; another /64 is another client.
      const asProxy = (clientIp: string) => instance.direct({ localAddress: '127.0.0.1', headers: { 'x-forwarded-for': clientIp, 'x-forwarded-proto': 'https' } });
      const jar6 = d.jar();
      const { token: token6 } = await getSession(instance.https(), jar6);
      await exhaustThrottle((i) => asProxy(`2001:db8:1:2::${(i + 1).toString(16)}`), jar6, token6, 'IPv6 clients of one /64, a new address each try');
      assertThrottled(
        await asProxy('2001:db8:1:2:ffff:ffff:ffff:ffff').post('/login', { jar: jar6.clone(), json: { username: USER, password: PASSWORD }, headers: { 'x-csrf-token': token6 } }),
        'yet another address of the same /64',
      );
      const otherNet = await asProxy('2001:db8:1:3::1').post('/login', { jar: jar6.clone(), json: { username: USER, password: WRONG }, headers: { 'x-csrf-token': token6 } });
      assert.equal(otherNet.status, 401, `another /64 is another client: ${otherNet.status} ${otherNet.text}`);
    }
  },

  // 12. headers
  12: async (d) => {
    const https = d.main.https();
    const jar = d.jar();
    const responses: Array<[string, Response]> = [];
    for (const path of ['/', '/assets/app.js', '/health', '/no-such-page']) responses.push([`GET ${path}`, await https.get(path)]);
    const anonymous = await getSession(https, jar);
    responses.push(['GET /session (anonymous)', anonymous.res]);
    const { res: loginRes } = await login(https, jar);
    responses.push(['POST /login', loginRes]);
    const authenticated = await getSession(https, jar);
    assert.equal(authenticated.authenticated, true);
    responses.push(['GET /session (logged in)', authenticated.res]);
    for (const [what, res] of responses) {
      const one = (name: string): string => {
        const values = headerValues(res, name);
        assert.equal(values.length, 1, `${what}: expected exactly one ${name} header, got ${JSON.stringify(values)}`);
        return values[0]!;
      };
      const csp = one('content-security-policy');
      const directives = new Map(csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => [d.split(/\s+/)[0]!.toLowerCase(), d.split(/\s+/).slice(1).join(' ')]));
      // Mozilla's HTTP Observatory gives full CSP credit only from default-src 'none'.
      assert.equal(directives.get('default-src'), "'none'", `${what}: CSP default-src 'none': ${csp}`);
      assert.equal(directives.get('frame-ancestors'), "'none'", `${what}: CSP frame-ancestors 'none': ${csp}`);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|unsafe-hashes|\*/, `${what}: no unsafe source and no wildcard: ${csp}`);
      for (const [name, sources] of directives) {
        if (['default-src', 'frame-ancestors', 'base-uri', 'upgrade-insecure-requests'].includes(name)) continue;
        const allowed = name === 'img-src' ? ["'self'", 'data:'] : ["'self'"];
        assert.deepEqual(sources.split(' ').filter((s) => !allowed.includes(s)), [], `${what}: ${name} allows only ${allowed.join(' ')}: ${csp}`);
      }
      assert.equal(directives.get('base-uri'), "'none'", `${what}: CSP base-uri 'none': ${csp}`);
      assert.equal(one('x-content-type-options'), 'nosniff', what);
      assert.match(one('referrer-policy'), /^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/, what);
      // SAMEORIGIN would contradict frame-ancestors 'none'
      assert.equal(one('x-frame-options'), 'DENY', `${what}: X-Frame-Options`);
      assert.deepEqual(headerValues(res, 'x-powered-by'), [], `${what}: X-Powered-By must be absent`);
      assert.deepEqual(headerValues(res, 'access-control-allow-origin'), [], `${what}: no CORS`);
    }
    for (const [what, res] of responses.filter(([w]) => /session|login/.test(w))) {
      assert.match(String(res.headers['cache-control']), /\bno-store\b/, `${what}: Cache-Control: no-store (${res.headers['cache-control']})`);
    }
    const logout = await https.post('/logout', { jar, headers: { 'x-csrf-token': authenticated.token } });
    assert.match(String(logout.headers['cache-control']), /\bno-store\b/, `POST /logout: Cache-Control: no-store (${logout.headers['cache-control']})`);
  },

  // 13. production errors
  13: async (d) => {
    const https = d.main.https();
    const mark = d.main.stderr().length;
    const jar = d.jar();
    const { token } = await getSession(https, jar); // anonymous: every unsafe request needs the token (#16)
    const loggedJar = d.jar();
    const { token: sessionToken } = await login(https, loggedJar);
    const leak = /\n\s*at\s|\bat [\w.<>]+ \(|node_modules|\/src\/|\.js:\d+|\/tmp\/|\/work\/|"stack"/;
    const cases: Array<[string, Parameters<Client['post']>[1], number]> = [
      ['malformed JSON, logged out, with the token', { jar: jar.clone(), body: '{"username": "alice", "password": ', headers: { 'content-type': 'application/json', 'x-csrf-token': token } }, 400],
      ['malformed JSON with a session and its token', { jar: loggedJar.clone(), body: '{"username": alice}', headers: { 'content-type': 'application/json', 'x-csrf-token': sessionToken } }, 400],
      ['a JSON body over the 10 kB limit', { jar: jar.clone(), body: JSON.stringify({ username: USER, password: 'x'.repeat(20_000) }), headers: { 'content-type': 'application/json', 'x-csrf-token': token } }, 413],
      ['an unsupported charset', { jar: jar.clone(), body: '{}', headers: { 'content-type': 'application/json; charset=latin1', 'x-csrf-token': token } }, 415],
    ];
    for (const [what, request, status] of cases) {
      const res = await https.post('/login', request);
      assert.equal(res.status, status, `POST /login with ${what}: ${res.status} ${res.text}`);
      assert.match(String(res.headers['content-type']), /^application\/json\b/, `POST /login with ${what}: a JSON answer (${res.headers['content-type']})`);
      assert.equal(typeof (res.json as { error?: unknown } | undefined)?.error, 'string', `POST /login with ${what}: {"error": …}: ${res.text}`);
      assert.doesNotMatch(res.text, leak, `POST /login with ${what}: no stack trace or file path: ${res.text}`);
    }
    for (const [method, path] of [['GET', '/no/such/page'], ['POST', '/no-such-route'], ['GET', '/session/extra'], ['DELETE', '/session']] as const) {
      const res = await https.request({ method, path, jar: jar.clone(), headers: { 'x-csrf-token': token } });
      assert.equal(res.status, 404, `${method} ${path}: ${res.status} ${res.text}`);
      assert.deepEqual(res.json, { error: 'not found' }, `${method} ${path}: a JSON 404: ${res.text}`);
    }
    assertNothingLogged(d.main, mark, 'bad requests');
  },

  // 14. testssl.sh, and no DHE
  14: async (d) => {
    const port = await tlsPortOf(d);
    // DHE suites need Diffie-Hellman parameters that none of the setups ships: none is ever agreed ...
    const dhe = await opensslHandshake(port, ['-tls1_2', '-cipher', 'DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305']);
    assert.notEqual(dhe.code, 0, `a TLS 1.2 handshake offering only DHE suites must fail:\n${describeRun(dhe)}`);
    // ... and so none is listed: every TLS 1.2 cipher the generated file lists is agreed, when offered
    // alone (with the test's RSA certificate: an ECDSA suite needs an ECDSA certificate).
    const listed = await listedCiphers(d);
    if (d.setup.proxy !== 'caddy') assert.ok(listed.length > 0, 'no cipher list found in the generated files');
    for (const cipher of listed.filter((c) => !c.includes('-ECDSA-'))) {
      const alone = await opensslHandshake(port, ['-tls1_2', '-cipher', cipher]);
      assert.equal(alone.code, 0, `${cipher} is listed, so a TLS 1.2 handshake offering only it must succeed:\n${describeRun(alone)}`);
      assert.match(alone.stdout, new RegExp(`Cipher is ${cipher}\\b`), `the handshake agreed on ${cipher}:\n${alone.stdout}`);
    }

    const result = await testsslOf(d);
    console.log(`# ${d.setup.id}: testssl.sh took ${result.durationMs} ms, ${result.findings.length} findings`);
    const byId = new Map(result.findings.map((f) => [f.id, f]));
    const finding = (id: string) => {
      const f = byId.get(id);
      assert.ok(f, `testssl reported nothing for ${id}:\n${result.output}`);
      assert.notEqual(f.severity, 'WARN', `testssl could not test ${id}: ${f.finding}\n${result.output}`);
      return f.finding;
    };
    for (const id of ['SSLv2', 'SSLv3', 'TLS1', 'TLS1_1']) assert.match(finding(id), /^not offered/, `${id} must not be offered: ${finding(id)}`);
    for (const id of ['TLS1_2', 'TLS1_3']) assert.match(finding(id), /^offered/, `${id} should be offered: ${finding(id)}`);
    for (const id of ['cipherlist_NULL', 'cipherlist_aNULL', 'cipherlist_EXPORT', 'cipherlist_LOW', 'cipherlist_3DES_IDEA']) {
      assert.match(finding(id), /^not offered/, `${id} must not be offered: ${finding(id)}`);
    }
    for (const id of ['heartbleed', 'CCS', 'ROBOT', 'POODLE_SSL', 'SWEET32', 'FREAK', 'DROWN', 'LOGJAM', 'BEAST', 'LUCKY13', 'RC4']) finding(id); // the scan ran them
    const serious = result.findings.filter((f) => f.severity === 'HIGH' || f.severity === 'CRITICAL');
    assert.deepEqual(serious.map((f) => `${f.id}: ${f.severity} ${f.finding}`), [], 'testssl.sh found HIGH or CRITICAL problems');
    // Shown, not failed: LOW/MEDIUM findings, and the checks testssl could not run. Its renegotiation
    // probe sends no SNI, and both nginx (the default server's ssl_reject_handshake) and Caddy refuse a
    // handshake without a name they have a certificate for: a WARN "handshake didn't succeed".
    for (const f of result.findings.filter((x) => !['OK', 'INFO'].includes(x.severity))) console.log(`# ${d.setup.id}: testssl ${f.id}: ${f.severity} ${f.finding}`);
  },

  // 15. no session for anonymous GETs
  15: async (d) => {
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
    assert.ok((await d.store.ids()).has(sid(jar)), `a login should have stored a session the probe can see: ${d.store.where(sid(jar))}`);
  },

  // 16. every unsafe route needs the token
  16: async (d) => {
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
      ['logged in, the pre-login token and its cookie', () => d.jar({ [COOKIE]: loggedIn.get(COOKIE)!, [CSRF_COOKIE]: preLogin }), { 'x-csrf-token': preLoginToken }],
      ["logged in, another visitor's token", () => loggedIn.clone(), { 'x-csrf-token': anonToken }],
    ];
    let requests = 0;
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      for (const path of paths) {
        for (const [what, jar, headers] of refused) {
          const res = await https.request({ method, path, jar: jar(), json: { username: USER, password: PASSWORD }, headers });
          requests++;
          assert.equal(res.status, 403, `${method} ${path} (${what}): ${res.status} ${res.text}`);
          assert.deepEqual(res.json, { error: 'missing or invalid CSRF token' }, `${method} ${path} (${what}): a JSON 403: ${res.text}`);
          if (what.startsWith('anonymous')) assert.deepEqual(res.setCookies, [], `${method} ${path} (${what}): a refused request sets no cookie`);
        }
        // With the token, the request reaches routing: the route's own answer, or 404 where there is none.
        const routed = method === 'POST' && (path === '/login' || path === '/logout');
        const reached = await https.request({ method, path, jar: anonymous.clone(), headers: { 'x-csrf-token': anonToken }, ...(path === '/login' ? { json: { username: USER, password: PASSWORD } } : {}) });
        requests++;
        if (routed) assert.equal(reached.status, path === '/login' ? 200 : 204, `${method} ${path} with the anonymous token: ${reached.status} ${reached.text}`);
        else assert.deepEqual([reached.status, reached.json], [404, { error: 'not found' }], `${method} ${path} with the anonymous token reaches routing: ${reached.status} ${reached.text}`);
        if (!routed) {
          const withSession = await https.request({ method, path, jar: loggedIn.clone(), headers: { 'x-csrf-token': sessionToken } });
          requests++;
          assert.deepEqual([withSession.status, withSession.json], [404, { error: 'not found' }], `${method} ${path} with the session's token reaches routing: ${withSession.status} ${withSession.text}`);
        }
      }
    }
    const after = await getSession(https, loggedIn);
    assert.equal(after.authenticated, true, 'the refused requests logged nobody out');
    assert.equal(after.token, sessionToken, 'the refused requests changed nothing in the session');
    const added = [...(await d.store.ids())].filter((id) => !before.has(id) && id !== sid(loggedIn));
    assert.ok(added.length <= 1, `only the one anonymous POST /login with its token may add a session: ${added.join(', ')}`);
    console.log(`# ${d.setup.id}: ${requests} unsafe requests on ${paths.length} paths: without a valid token all 403, with one all routed`);
    assertNothingLogged(d.main, mark, 'unsafe requests');
  },

  // 17. anonymous visitors store nothing
  17: async (d) => {
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
            if (path !== '/session') assert.deepEqual(res.setCookies, [], `page load ${load}: GET ${path} sets no cookie`);
            else {
              assertCsrfCookie(res, `page load ${load}: GET /session`);
              csrfCookies++;
              const again = await c.get('/session', { jar }); // the page asks again: the same token, no new cookie
              assert.deepEqual(again.setCookies, [], `page load ${load}: a second GET /session sets no cookie`);
              assert.equal((again.json as { csrfToken?: unknown }).csrfToken, (res.json as { csrfToken?: unknown }).csrfToken, `page load ${load}: the same token`);
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
    console.log(`# ${d.setup.id}: store rows added by ${PAGE_LOADS} anonymous page loads (${pageLoad.join(', ')}, and GET /session again): ${added.length} (${PAGE_LOADS * (pageLoad.length + 1)} requests in ${elapsed} ms)`);
    assert.equal(csrfCookies, PAGE_LOADS);
    assert.deepEqual(added, [], `anonymous visitors must store nothing: ${added.length} new rows (${d.store.where(added[0] ?? '?')})`);

    // Login with the anonymous token works; then the pre-login token no longer does.
    const https = d.main.https();
    const jar = d.jar();
    const { token: preLogin } = await getSession(https, jar);
    const preLoginCookie = jar.get(CSRF_COOKIE)!;
    const res = await https.post('/login', { jar, json: { username: USER, password: PASSWORD }, headers: { 'x-csrf-token': preLogin } });
    assert.equal(res.status, 200, `POST /login with the anonymous token: ${res.status} ${res.text}`);
    const cleared = findSetCookie(res, CSRF_COOKIE);
    assert.ok(cleared && cleared.value === '' && (cookieLifetimeSeconds(cleared) ?? 1) <= 0, `login clears ${CSRF_COOKIE}: ${JSON.stringify(res.setCookies)}`);
    assert.ok(cleared.attributes.has('secure') && cleared.attributes.get('path') === '/', `a __Host- cookie is only cleared with Secure and Path=/: ${cleared.raw}`);
    const id = setCookieSid(res, 'POST /login');
    assert.ok(await d.store.exists(id), `login stores the session: ${d.store.where(id)}`);
    for (const [what, from] of [
      ['the logged-in browser', () => jar.clone()],
      ['the logged-in browser with the pre-login cookie put back', () => d.jar({ [COOKIE]: jar.get(COOKIE)!, [CSRF_COOKIE]: preLoginCookie })],
    ] as const) {
      for (const path of ['/logout', '/login']) {
        const r = await https.post(path, { jar: from(), json: { username: USER, password: PASSWORD }, headers: { 'x-csrf-token': preLogin } });
        assert.equal(r.status, 403, `POST ${path} with the pre-login token from ${what}: ${r.status} ${r.text}`);
      }
    }
    const still = await getSession(https, jar);
    assert.equal(still.authenticated, true, 'the pre-login token changed nothing');
    assert.notEqual(still.token, preLogin, 'the session has its own token');
  },

  // 18. the login throttle, shared by two instances behind nginx
  18: async (d) => {
    const pair = await d.pair();
    const from = (address: string) => pair.https({ localAddress: address });
    /** Which instance answered each POST /login logged since `mark`, in order, once there are `n` (nginx logs after answering). */
    const upstreams = async (mark: number, n: number) => {
      let ports: number[] = [];
      for (const t0 = Date.now(); ports.length < n && Date.now() - t0 < 3000; await sleep(50)) {
        ports = (await pair.accessLog()).slice(mark).split('\n').flatMap((l) => (l.includes('"POST /login') ? [Number(/upstream=127\.0\.0\.1:(\d+)/.exec(l)?.[1])] : []));
      }
      return ports;
    };

    // one address, its wrong guesses spread over both instances by nginx (round robin)
    let mark = (await pair.accessLog()).length;
    const jar = d.jar();
    const { token } = await getSession(from('127.0.0.8'), jar);
    await exhaustThrottle(() => from('127.0.0.8'), jar, token, 'from 127.0.0.8 through nginx, over two instances');
    for (let i = 0; i < 2; i++) {
      const res = await from('127.0.0.8').post('/login', { jar: jar.clone(), json: { username: USER, password: PASSWORD }, headers: { 'x-csrf-token': token } });
      assertThrottled(res, `the right password from the throttled address (${i + 1} of 2)`);
    }
    const spread = await upstreams(mark, 13);
    assert.equal(spread.length, 13, `13 logins in the access log: ${spread.join(', ')}`);
    for (const port of pair.ports) {
      assert.ok(spread.slice(0, 10).filter((p) => p === port).length >= 3, `instance ${port} should have answered some of the ten 401s: ${spread.join(', ')}`);
      assert.ok(spread.slice(11).includes(port), `instance ${port} should have refused the right password: ${spread.join(', ')}`);
    }

    // 30 parallel wrong guesses from one more address: counted before the password check, so no race
    mark = (await pair.accessLog()).length;
    const jar9 = d.jar();
    const { token: token9 } = await getSession(from('127.0.0.9'), jar9);
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => from('127.0.0.9').post('/login', { jar: jar9.clone(), json: { username: USER, password: WRONG }, headers: { 'x-csrf-token': token9 } })),
    );
    const statuses = answers.map((r) => r.status);
    const count = (status: number) => statuses.filter((s) => s === status).length;
    assert.ok(count(401) <= 10, `30 parallel wrong guesses: at most ten 401s, got ${count(401)}: ${statuses.join(' ')}`);
    assert.equal(count(401) + count(429), 30, `only 401 and 429: ${statuses.join(' ')}`);
    for (const res of answers.filter((r) => r.status === 429)) assertThrottled(res, 'a refused parallel guess');
    const raced = await upstreams(mark, 30);
    for (const port of pair.ports) assert.ok(raced.includes(port), `both instances should have taken parallel guesses: ${raced.join(', ')}`);
    console.log(`# ${d.setup.id}: 30 parallel wrong guesses: ${count(401)} × 401, ${count(429)} × 429`);
    assert.doesNotMatch(pair.stderr(), /express-rate-limit|ValidationError|Error:/, `the instances logged an error:\n${pair.stderr()}`);
  },

  // 19. only password hashes in the store
  19: async (d) => {
    const https = d.main.https();
    const jar = d.jar();
    await getSession(https, jar);
    await login(https, jar); // a login may write to the store (a session, a rehash): look after it
    assert.equal((await getSession(https, jar)).authenticated, true);
    // What a login costs with these parameters, through the proxy: the median of 5, one at a time.
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const other = d.jar();
      const { token } = await getSession(https, other);
      const started = performance.now();
      const res = await https.post('/login', { jar: other, json: { username: USER, password: PASSWORD }, headers: { 'x-csrf-token': token } });
      times.push(performance.now() - started);
      assert.equal(res.status, 200, `POST /login: ${res.status} ${res.text}`);
    }
    times.sort((a, b) => a - b);
    console.log(`# ${d.setup.id}: POST /login takes ${times[2]!.toFixed(0)} ms (median of 5; ${times.map((t) => t.toFixed(0)).join(', ')} ms)`);
    const { hashes, everything } = await d.store.accounts();
    const stored = hashes.get(USER);
    assert.ok(stored !== undefined, `the store holds no account ${USER}: ${[...hashes.keys()].join(', ')}`);
    const match = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/.exec(stored);
    assert.ok(match, `the stored password is not a scrypt hash string: ${stored.slice(0, 20)}…`);
    const [ln, r, p] = match.slice(1).map(Number) as [number, number, number];
    assert.ok(ln >= 17 && r >= 8 && p >= 1, `scrypt parameters below OWASP's N=2^17, r=8, p=1: ln=${ln}, r=${r}, p=${p}`);
    for (const [name, hash] of hashes) assert.match(hash, /^\$scrypt\$/, `account ${name}: not a hash`);
    for (const form of [PASSWORD, encodeURIComponent(PASSWORD), Buffer.from(PASSWORD).toString('base64')]) {
      assert.ok(!everything.includes(form), `the plaintext password (${form === PASSWORD ? 'as typed' : 'encoded'}) is in the store`);
    }
  },

  // 20. a password change ends the user's other sessions
  20: async (d) => {
    // Two sessions of one user, as from two browsers (every instance reads the same store: the store
    // suite shows a second instance sees what the first wrote).
    const clients = [d.main.https(), d.main.https()];
    const jars = [d.jar(), d.jar()];
    for (const [i, c] of clients.entries()) {
      await getSession(c, jars[i]!);
      await login(c, jars[i]!);
      assert.equal((await getSession(c, jars[i]!)).authenticated, true, `session ${i + 1} is logged in`);
    }
    const env = d.env(d.main.appPort);
    const changed = `${PASSWORD} (changed)`;
    await changePassword(d.app.dir, env, { name: USER, password: changed });
    try {
      for (const [i, c] of clients.entries()) {
        assert.equal((await getSession(c, jars[i]!)).authenticated, false, `session ${i + 1} must be anonymous after user:passwd`);
      }
      const fresh = d.jar();
      const { token } = await getSession(clients[0]!, fresh);
      const old = await clients[0]!.post('/login', { jar: fresh, json: { username: USER, password: PASSWORD }, headers: { 'x-csrf-token': token } });
      assert.equal(old.status, 401, `the old password must not log in: ${old.status} ${old.text}`);
      await logIn(clients[0]!, d.jar(), { username: USER, password: changed }); // the new password logs in (asserts 200)
    } finally {
      await changePassword(d.app.dir, env, { name: USER, password: PASSWORD }); // for the rows after this one
    }
  },

  // 21. a fixed lifetime (--no-rolling) is enforced by the server, whatever the activity
  21: async (d) => {
    const { instance, store } = await d.fixed();
    const https = instance.https();
    const jar = d.jar();
    await getSession(https, jar);
    const t0 = Date.now(); // the server's authenticatedAt is after this...
    const { res } = await login(https, jar);
    const loginDone = Date.now(); // ...and before this
    const limit = FIXED_MAX_AGE_S * 1000;
    const loginCookie = findSetCookie(res, COOKIE)!;
    const lifetime = cookieLifetimeSeconds(loginCookie);
    assert.ok(lifetime !== undefined && Math.abs(lifetime - FIXED_MAX_AGE_S) <= 1, `the cookie should live ${FIXED_MAX_AGE_S} s: ${res.setCookies.join(' | ')}`);
    const cookie = jar.get(COOKIE)!;
    const id = sid(jar);
    // The stores keep whole seconds (Redis, PostgreSQL and MySQL round the expiry up or to the nearest).
    const latestEnd = loginDone + limit + 1000;
    const seen: Array<{ sentMs: number; doneMs: number; authenticated: boolean }> = [];
    // A request every second (each well within --max-age of the one before) until 3 s past the end.
    for (let k = 1; t0 + k * 1000 <= loginDone + limit + 3000; k++) {
      await sleep(Math.max(0, t0 + k * 1000 - Date.now()));
      const sent = Date.now();
      const s = await getSession(https, jar, `GET /session ${k} s after login`);
      const done = Date.now();
      seen.push({ sentMs: sent - t0, doneMs: done - t0, authenticated: s.authenticated });
      // The browser's cookie keeps its end: a Set-Cookie for this session, if any, must not move it.
      // (Past the end the app may start a new, empty session in its place: another id, anonymous, see below.)
      const renewed = findSetCookie(s.res, COOKIE);
      if (renewed && renewed.value !== '' && sessionIdFromCookie(renewed.value) === id) {
        const ends = done + (cookieLifetimeSeconds(renewed, done) ?? Infinity) * 1000;
        assert.ok(ends <= latestEnd, `GET /session ${k} s after login moved the cookie's end past login + ${FIXED_MAX_AGE_S} s: ${renewed.raw}`);
      }
      // The store's end does not slide with the activity either.
      if (s.authenticated) {
        const record = await store.session(id);
        assert.ok(
          !record.exists || (record.expiresAtMs !== undefined && record.expiresAtMs <= latestEnd),
          `${k} s after login, ${store.where(id)} expires ${record.expiresAtMs === undefined ? 'never' : `${record.expiresAtMs - loginDone} ms after login`}: the store's expiry slides with activity (limit ${limit} ms)`,
        );
      }
    }
    const timeline = seen.map((s) => `${s.sentMs}-${s.doneMs} ms: ${s.authenticated ? 'in' : 'out'}`).join(', ');
    for (const s of seen) {
      // answered within the lifetime counted from the earliest possible login time: still logged in
      if (s.doneMs <= limit) assert.equal(s.authenticated, true, `logged out before --max-age (${timeline})`);
      // sent after the lifetime counted from the latest possible login time: logged out
      if (s.sentMs - (loginDone - t0) > limit) assert.equal(s.authenticated, false, `still logged in after --max-age ${FIXED_MAX_AGE_S}s from login, under activity (${timeline})`);
    }
    const firstOut = seen.findIndex((s) => !s.authenticated);
    assert.ok(firstOut > 0 && seen.slice(firstOut).every((s) => !s.authenticated), `logged in, then out for good (${timeline})`);
    // The cookie the client had at login, replayed (a stolen copy, or a client that ignores Expires).
    const replay = await getSession(https, d.jar({ [COOKIE]: cookie }), 'GET /session replaying the login cookie after the lifetime');
    assert.equal(replay.authenticated, false, 'the replayed login cookie must be anonymous after the fixed lifetime');
    assertNoSessionCookie(replay.res, 'GET /session replaying the login cookie after the lifetime');
    const record = await store.session(id);
    assert.ok(
      !record.exists || (record.expiresAtMs !== undefined && record.expiresAtMs <= Date.now()),
      `${store.where(id)} should be gone, or carry an expiry that has passed: ${JSON.stringify(record)}`,
    );
  },

  // 22. the HTTPS redirect's host is pinned
  22: async (d) => {
    const evil = 'evil.example';
    const forgeries: Array<[string, Record<string, string>]> = [
      [`X-Forwarded-Host: ${evil}`, { 'x-forwarded-host': evil }],
      [`Host: ${evil}`, { host: evil }],
      [`Host and X-Forwarded-Host: ${evil}`, { host: evil, 'x-forwarded-host': evil }],
    ];
    const path = '/account?next=%2Fsession';
    const assertPinned = (res: Response | Error, what: string, { mayRefuse = false } = {}) => {
      if (res instanceof Error) return assert.ok(mayRefuse, `${what}: ${res.message}`); // nginx's 444: no answer at all
      assert.ok([301, 302, 307, 308].includes(res.status), `${what}: expected a redirect, got ${res.status} ${res.text}`);
      // (the test's Caddy listens on another port than 443 and names it in its redirect)
      const location = new URL(String(res.headers.location));
      assert.deepEqual([location.protocol, location.hostname, `${location.pathname}${location.search}`], ['https:', DOMAIN, path], `${what}: the redirect must name the configured host and keep the path: ${location.href}`);
      assert.deepEqual(res.setCookies, [], `${what}: no Set-Cookie`);
    };
    const proxy = d.setup.proxy;
    // Through the front's plain-HTTP port: paas and custom forward it to the app; nginx and Caddy
    // redirect by themselves. Caddy's automatic redirect for a Host it does not serve names that
    // Host (Caddy's own catch-all route): only the client that forged it is sent there, so only
    // X-Forwarded-Host is forged at Caddy's port.
    const atFront = proxy === 'caddy' ? forgeries.filter(([, headers]) => !('host' in headers)) : forgeries;
    for (const [what, headers] of atFront) {
      const res = await d.main.http().get(path, { headers, jar: d.jar(), timeoutMs: 5000 }).catch((error: Error) => error);
      assertPinned(res, `plain HTTP GET ${path} with ${what}`, { mayRefuse: proxy === 'nginx' && 'host' in headers });
    }
    if (proxy === 'nginx' || proxy === 'caddy') {
      // The app's own redirect, which their redirect hides: straight to the app's port from loopback
      // (believed by TRUST_PROXY=loopback), as a plain-HTTP request forwarded with the forged headers.
      for (const [what, headers] of forgeries) {
        const res = await d.main.direct({ headers: { 'x-forwarded-proto': 'http', ...headers } }).get(path, { jar: d.jar() });
        assertPinned(res, `GET ${path} straight to the app, X-Forwarded-Proto: http and ${what}`);
      }
    }
  },

  // 23. no client-sent proxy header reaches the app
  23: async (d) => {
    const front = await d.echoFront();
    const mark = 'forged-by-the-client';
    const forged = Object.fromEntries(
      CLIENT_PROXY_HEADERS.map((name) => [name, name === 'Forwarded' ? `for=6.6.6.6;proto=http;host=evil.example;by=${mark}` : `6.6.6.6, evil.example ${mark}`]),
    );
    const res = await front.https({ localAddress: '127.0.0.3' }).get('/account?from=test', { headers: { ...forged, 'x-ordinary': mark } });
    assert.equal(res.status, 200, `GET through the front to the echo server: ${res.status} ${res.text}`);
    const echoed = res.json as Echoed;
    const received = (name: string) => echoed.headers[name.toLowerCase()];
    // the control: the request did go through, and an ordinary header a client writes passes
    assert.equal(received('x-ordinary'), mark, `an ordinary header passes: ${JSON.stringify(echoed.headers)}`);
    // what the proxy sets itself, from what it knows: the client's address, the scheme
    assert.equal(received('x-forwarded-proto'), 'https', 'X-Forwarded-Proto as the proxy set it');
    assert.equal(received('x-forwarded-for'), '127.0.0.3', "X-Forwarded-For: the client's address only, nothing the client wrote before it");
    assert.ok([undefined, '127.0.0.3'].includes(received('x-real-ip') as string | undefined), `X-Real-IP: the client's address or none: ${received('x-real-ip')}`);
    assert.ok([undefined, DOMAIN].includes(received('x-forwarded-host') as string | undefined), `X-Forwarded-Host: the site's own name or none: ${received('x-forwarded-host')}`);
    // and nothing else: no header the client forged arrives, under its name or copied into another
    const setByProxy = new Set(['x-forwarded-for', 'x-forwarded-proto', 'x-real-ip', 'x-forwarded-host']);
    for (const name of CLIENT_PROXY_HEADERS.filter((n) => !setByProxy.has(n.toLowerCase()))) {
      assert.equal(received(name), undefined, `${name} as the client wrote it reached the app: ${received(name)}`);
    }
    const lines: Array<[string, string]> = [];
    for (let i = 0; i < echoed.rawHeaders.length; i += 2) lines.push([echoed.rawHeaders[i]!, echoed.rawHeaders[i + 1]!]);
    const leaked = lines.filter(([name, value]) => name.toLowerCase() !== 'x-ordinary' && /forged-by-the-client|6\.6\.6\.6|evil\.example/.test(value));
    assert.deepEqual(leaked, [], 'a value the client wrote reached the app');
    assert.equal(front.served, 1, 'the echo server, in the app\'s place, answered the request');
  },
};

/**
 * Headers in which proxies report the client's address, scheme, host, port or path: what code in the
 * app (or a package such as request-ip) might believe. Only the proxy may set them.
 */
const CLIENT_PROXY_HEADERS = [
  'Forwarded',
  'X-Real-IP',
  'X-Forwarded-For',
  'X-Forwarded-Proto',
  'X-Forwarded-Host',
  'X-Forwarded-Port',
  'X-Forwarded-Prefix',
  'X-Forwarded-Server',
  'X-Forwarded-Ssl',
  'X-Forwarded-Scheme',
  'X-Url-Scheme',
  'Front-End-Https',
  'X-Forwarded',
  'Forwarded-For',
  'X-Client-IP',
  'True-Client-IP',
  'X-Cluster-Client-IP',
  'CF-Connecting-IP',
  'Fastly-Client-IP',
];

/** Where the setup's TLS is tested: the front's TLS port, or for `none` the short app's own (the same generated TLS code, never restarted). */
async function tlsPortOf(d: Deployment): Promise<number> {
  return d.setup.proxy === 'none' ? (await d.short()).instance.tlsPort : d.main.tlsPort;
}

/** `openssl s_client` to 127.0.0.1:`port` with the test domain as SNI and `args`; its exit code is 0 when the handshake succeeded. */
function opensslHandshake(port: number, args: string[]) {
  const openssl = findTool('openssl') ?? 'openssl';
  return runProcess(openssl, ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', DOMAIN, ...args], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '' },
    timeoutMs: 15_000,
  });
}

/** The TLS 1.2 ciphers the generated files list: deploy/nginx.conf's ssl_ciphers, the none app's list; Caddy lists none. */
async function listedCiphers(d: Deployment): Promise<string[]> {
  switch (d.setup.proxy) {
    case 'nginx': {
      const conf = await readFile(join(d.app.dir, 'deploy', 'nginx.conf'), 'utf8');
      return [...new Set([...conf.matchAll(/^\s*ssl_ciphers (\S+);$/gm)].flatMap((m) => m[1]!.split(':')))];
    }
    case 'none': {
      const source = await readFile(join(d.app.dir, 'src', 'http-server.js'), 'utf8');
      const list = /const MOZILLA_INTERMEDIATE_CIPHERS = \[([^\]]*)\]/.exec(source)?.[1] ?? '';
      return [...list.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
    }
    default:
      return [];
  }
}

/**
 * testssl.sh on the setup's TLS, once (it takes 20-40 s, so the suite starts it right after the
 * deployment and the other tests run meanwhile): the front's TLS port, or for `none` the app's own,
 * on the short app's instance (the same generated TLS code), which no test restarts.
 */
function testsslOf(d: Deployment) {
  return d.memo('testssl', async () => runTestssl({ hostname: DOMAIN, port: await tlsPortOf(d) }));
}

/** The rows that need an app with short lifetimes, and which: run side by side, as they mostly wait. */
const TIMED: Record<number, 'short' | 'fixed'> = { 5: 'short', 6: 'short', 21: 'fixed' };
const TIMED_APPS = {
  short: `--max-age ${SHORT_MAX_AGE_S}s --absolute-timeout ${SHORT_ABSOLUTE_S}s`,
  fixed: `--no-rolling --max-age ${FIXED_MAX_AGE_S}s --absolute-timeout none`,
};

const TOOLS: Record<string, string[]> = {
  nginx: ['nginx', 'openssl'],
  caddy: ['caddy', 'openssl'],
  none: ['openssl'],
  paas: ['nginx', 'openssl'],
  custom: ['nginx', 'openssl'],
};

/** Why the setup's store server cannot be used (it does not answer), or false (it does, or none is needed). Await it at the top of a test file. */
export async function storeServerDown(setupId: SetupId): Promise<string | false> {
  const setup = SECURITY_SETUPS.find((s) => s.id === setupId)!;
  const server = STORE_SERVERS[setup.store];
  if (!server) return false;
  return (await isListening(server.port)) ? false : `${server.name} does not answer on 127.0.0.1:${server.port}`;
}

/**
 * Registers the security suite of one setup: its `needs …` tests, then one test per property the
 * setup is listed for, named `#<n> <test>`, in order.
 */
export function securitySuite(setupId: SetupId, { serverDown = false as string | false } = {}): void {
  const setup = SECURITY_SETUPS.find((s) => s.id === setupId);
  assert.ok(setup, `no setup ${setupId}`);
  describe(`security properties, ${setupId}: ${setup.how}`, () => {
    const tools = needsTools(...TOOLS[setup.proxy]!);
    const server = STORE_SERVERS[setup.store];
    const serverOk = server ? needs(`${server.name} on 127.0.0.1:${server.port}`, serverDown) : { skip: false as const };
    const offered = needs(`--proxy ${setup.proxy} in src/proxies/index.ts`, PROXIES.some((p) => p.id === setup.proxy) ? false : `the CLI has no --proxy ${setup.proxy} yet`);
    const skip = tools.skip || serverOk.skip || offered.skip;

    describe('the deployed app', { skip }, () => {
      let d: Deployment | undefined;
      before(
        async () => {
          d = await deploy(setup);
          // started now, awaited by #14 (errors surface there)
          if (properties.some((p) => p.n === 14) && requireTool('testssl').available) testsslOf(d).catch(() => {});
        },
        { timeout: 10 * 60_000 },
      );
      after(async () => {
        await d?.close();
      });

      const properties = propertiesFor(setupId);
      const register = (p: SecurityProperty) => {
        const check = CHECKS[p.n];
        const testssl = p.n === 14 ? requireTool('testssl') : undefined;
        it(propertyTestName(p), { timeout: p.n === 14 ? 5 * 60_000 : 90_000, skip: testssl?.skip ?? false }, async () => {
          testssl?.assert();
          assert.ok(check, `no check for property #${p.n}`);
          assert.ok(d, 'the deployment did not start');
          await check(d);
        });
      };
      // Every timed row in one group, where the first of them is in the table.
      const timed = properties.filter((p) => TIMED[p.n]);
      const apps = [...new Set(timed.map((p) => TIMED[p.n]!))];
      for (const p of properties) {
        if (!TIMED[p.n]) register(p);
        else if (p === timed[0]) {
          describe(`the apps generated with ${apps.map((a) => TIMED_APPS[a]).join('; ')} (side by side)`, { concurrency: true }, () => {
            before(async () => {
              if (d) await Promise.all(apps.map((a) => d![a]()));
            }, { timeout: 5 * 60_000 });
            for (const q of timed) register(q);
          });
        }
      }
    });
  });
}

/** Every property has a check, and every check a property. */
export function checkedProperties(): { properties: number[]; checks: number[] } {
  return { properties: SECURITY_PROPERTIES.map((p) => p.n), checks: Object.keys(CHECKS).map(Number) };
}
