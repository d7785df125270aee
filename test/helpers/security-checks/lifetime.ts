// The checks about how long a session lives, enforced by the server whatever the client keeps:
// the idle and absolute timeouts, and the fixed lifetime of --no-rolling. Rows #5, #6 and #21.
import assert from 'node:assert/strict';
import { COOKIE } from '../constants.ts';
import { cookieLifetimeSeconds, findSetCookie, type Client, type CookieJar } from '../https-client.ts';
import { sleep } from '../processes.ts';
import { FIXED_MAX_AGE_S, SHORT_ABSOLUTE_S, SHORT_MAX_AGE_S } from '../security-deployment.ts';
import { assertCookieLives, getSession, type SessionState } from '../session-contract.ts';
import { assertGoneOrExpired, sessionIdFromCookie } from '../store-clients.ts';
import { assertNoSessionCookie, login, sid, type Check } from './steps.ts';

/** #5: idle timeout, enforced by the server. */
export const idleTimeout: Check = async (d) => {
  const { instance, store } = await d.short();
  const https = instance.https();
  const jar = d.jar();
  const { res } = await login(https, jar);
  assertCookieLives(res, SHORT_MAX_AGE_S);
  const cookie = jar.get(COOKIE)!;
  const id = sid(jar);
  assert.equal((await getSession(https, jar)).authenticated, true, 'logged in right after login');
  await sleep(SHORT_MAX_AGE_S * 1000 + 1000); // idle past --max-age
  // The client still has the cookie (a client that ignores Max-Age, or a stolen copy): the server decides.
  const replay = await getSession(
    https,
    d.jar({ [COOKIE]: cookie }),
    `GET /session after ${SHORT_MAX_AGE_S + 1} s idle, replaying the cookie`,
  );
  assert.equal(replay.authenticated, false, `after ${SHORT_MAX_AGE_S + 1} s idle the server must reject the session`);
  // anonymous: neither the lapsed session nor a new one
  assertNoSessionCookie(replay.res, 'GET /session after the idle timeout');
  await assertGoneOrExpired(store, id);
};

/** #6: absolute timeout under constant activity. */
export const absoluteTimeout: Check = async (d) => {
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
  // Until 2 s past the limit counted from the end of the login, which is a scrypt check (slow on a busy machine).
  // One request a second: never idle for --max-age.
  const { seen, timeline } = await everySecond(https, jar, t0, loginDone + limit + 2000);
  assertEndsAt(
    seen,
    { t0, loginDone, limit },
    {
      early: `logged out before the absolute timeout (${timeline})`,
      late: `still logged in after the absolute timeout (${timeline})`,
    },
  );
  assert.ok(
    seen.some((s) => s.authenticated && s.sentMs >= (SHORT_MAX_AGE_S + 1) * 1000),
    `activity should keep the session past --max-age (${timeline})`,
  );
  assert.ok(
    seen.some((s) => !s.authenticated),
    `the session must end at the absolute timeout (${timeline})`,
  );
  const firstOut = seen.findIndex((s) => !s.authenticated);
  assert.ok(
    seen.slice(firstOut).every((s) => !s.authenticated),
    `once out, never back in (${timeline})`,
  );
  assert.equal(
    (await getSession(https, d.jar({ [COOKIE]: cookie }))).authenticated,
    false,
    'replaying the logged-in cookie after the absolute timeout',
  );
  assert.equal(await store.exists(id), false, `the timed-out session should be deleted: ${store.where(id)}`);
};

/** #21: a fixed lifetime (--no-rolling) is enforced by the server, whatever the activity. */
export const fixedLifetime: Check = async (d) => {
  const { instance, store } = await d.fixed();
  const https = instance.https();
  const jar = d.jar();
  await getSession(https, jar);
  const t0 = Date.now(); // the server's authenticatedAt is after this...
  const { res } = await login(https, jar);
  const loginDone = Date.now(); // ...and before this
  const limit = FIXED_MAX_AGE_S * 1000;
  assertCookieLives(res, FIXED_MAX_AGE_S);
  const cookie = jar.get(COOKIE)!;
  const id = sid(jar);
  // The stores keep whole seconds (Redis, PostgreSQL and MySQL round the expiry up or to the nearest).
  const latestEnd = loginDone + limit + 1000;
  // A request every second (each well within --max-age of the one before) until 3 s past the end.
  const { seen, timeline } = await everySecond(https, jar, t0, loginDone + limit + 3000, async (k, s, done) => {
    // The browser's cookie keeps its end: a Set-Cookie for this session, if any, must not move it.
    // (Past the end the app may start a new, empty session in its place: another id, anonymous, see below.)
    const renewed = findSetCookie(s.res, COOKIE);
    if (renewed && renewed.value !== '' && sessionIdFromCookie(renewed.value) === id) {
      const ends = done + (cookieLifetimeSeconds(renewed, done) ?? Infinity) * 1000;
      assert.ok(
        ends <= latestEnd,
        `GET /session ${k} s after login moved the cookie's end past login + ${FIXED_MAX_AGE_S} s: ${renewed.raw}`,
      );
    }
    // The store's end does not slide with the activity either.
    if (s.authenticated) {
      const record = await store.session(id);
      assert.ok(
        !record.exists || (record.expiresAtMs !== undefined && record.expiresAtMs <= latestEnd),
        `${k} s after login, ${store.where(id)} expires ` +
          `${record.expiresAtMs === undefined ? 'never' : `${record.expiresAtMs - loginDone} ms after login`}: the ` +
          `store's expiry slides with activity (limit ${limit} ms)`,
      );
    }
  });
  assertEndsAt(
    seen,
    { t0, loginDone, limit },
    {
      early: `logged out before --max-age (${timeline})`,
      late: `still logged in after --max-age ${FIXED_MAX_AGE_S}s from login, under activity (${timeline})`,
    },
  );
  const firstOut = seen.findIndex((s) => !s.authenticated);
  assert.ok(
    firstOut > 0 && seen.slice(firstOut).every((s) => !s.authenticated),
    `logged in, then out for good (${timeline})`,
  );
  // The cookie the client had at login, replayed (a stolen copy, or a client that ignores Expires).
  const replay = await getSession(
    https,
    d.jar({ [COOKIE]: cookie }),
    'GET /session replaying the login cookie after the lifetime',
  );
  assert.equal(replay.authenticated, false, 'the replayed login cookie must be anonymous after the fixed lifetime');
  assertNoSessionCookie(replay.res, 'GET /session replaying the login cookie after the lifetime');
  await assertGoneOrExpired(store, id);
};

interface Seen {
  /** When the request was sent and answered, in ms after `t0`. */
  sentMs: number;
  doneMs: number;
  authenticated: boolean;
}

/**
 * A GET /session with `jar` every second after `t0` (taken just before the login) until `endAt`;
 * `check` looks at each answer (`k` seconds after `t0`, answered at `doneAt`). Returns what was
 * seen, and as text.
 */
async function everySecond(
  https: Client,
  jar: CookieJar,
  t0: number,
  endAt: number,
  check?: (k: number, s: SessionState, doneAt: number) => Promise<void>,
): Promise<{ seen: Seen[]; timeline: string }> {
  const seen: Seen[] = [];
  for (let k = 1; t0 + k * 1000 <= endAt; k++) {
    await sleep(Math.max(0, t0 + k * 1000 - Date.now()));
    const sent = Date.now();
    const s = await getSession(https, jar, `GET /session ${k} s after login`);
    const done = Date.now();
    seen.push({ sentMs: sent - t0, doneMs: done - t0, authenticated: s.authenticated });
    await check?.(k, s, done);
  }
  return {
    seen,
    timeline: seen.map((s) => `${s.sentMs}-${s.doneMs} ms: ${s.authenticated ? 'in' : 'out'}`).join(', '),
  };
}

/**
 * The session ended `limit` ms after the login, which the server stamped between `t0` and
 * `loginDone`: logged in when answered within `limit` of the earliest possible login time, logged
 * out when sent after `limit` from the latest.
 */
function assertEndsAt(
  seen: Seen[],
  o: { t0: number; loginDone: number; limit: number },
  say: { early: string; late: string },
): void {
  for (const s of seen) {
    if (s.doneMs <= o.limit) assert.equal(s.authenticated, true, say.early);
    if (s.sentMs - (o.loginDone - o.t0) > o.limit) assert.equal(s.authenticated, false, say.late);
  }
}
