// Small steps of the security checks, each asserting what it relies on. The checks themselves are
// grouped by theme in the files beside this one; each row of test/helpers/security-properties.ts
// names its check.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { STACK_LINE } from '../assertions.ts';
import { COOKIE, CSRF_COOKIE, PASSWORD, USER } from '../constants.ts';
import {
  cookieLifetimeSeconds,
  CookieJar,
  findSetCookie,
  parseSetCookie,
  type Client,
  type Response,
} from '../https-client.ts';
import type { Deployment } from '../security-deployment.ts';
import type { Instance } from '../security-instance.ts';
import { assertHostCookieAttributes, logIn, sessionIdIn } from '../session-contract.ts';
import { sessionIdFromCookie } from '../store-clients.ts';

/** A property's check: it talks to the deployment and throws when the property does not hold. */
export type Check = (d: Deployment) => Promise<void>;

export const WRONG = 'not the password';

export const login = (c: Client, jar: CookieJar) => logIn(c, jar, { username: USER, password: PASSWORD });
export const sid = (jar: CookieJar) => sessionIdIn(jar, COOKIE);

/** The session id a response's Set-Cookie gives, asserting there is one. */
export function setCookieSid(res: Response, what: string): string {
  const cookie = findSetCookie(res, COOKIE);
  assert.ok(
    cookie && cookie.value !== '',
    `${what}: expected a ${COOKIE} cookie; Set-Cookie: ${JSON.stringify(res.setCookies)}`,
  );
  return sessionIdFromCookie(cookie.value);
}

/**
 * `s:<sid>.<signature>` as express-session (cookie-signature) makes it: base64 HMAC-SHA256 of the id, no `=` padding.
 */
export function signSessionId(id: string, secret: string): string {
  return `s:${id}.${createHmac('sha256', secret).update(id).digest('base64').replace(/=+$/, '')}`;
}

/** Is this cookie value (URL-encoded, as sent) the session id signed with `secret`? */
export function signedWith(value: string, secret: string): boolean {
  const decoded = decodeURIComponent(value);
  return decoded === signSessionId(sessionIdFromCookie(value), secret);
}

/** The anonymous CSRF token for a value of its cookie, as the app makes it: HMAC-SHA256 with the secret, base64url. */
export function anonymousCsrfToken(value: string, secret: string): string {
  return createHmac('sha256', secret).update(`csrf-anonymous:${value}`).digest('base64url');
}

/** No session was started: no session cookie with a value (an anonymous visitor stores nothing). */
export function assertNoSessionCookie(res: Response, what: string): void {
  const cookie = findSetCookie(res, COOKIE);
  assert.ok(
    cookie === undefined || cookie.value === '',
    `${what}: no session may be started for an anonymous visitor; Set-Cookie: ${JSON.stringify(res.setCookies)}`,
  );
}

/** The anonymous token's cookie as set: `__Host-csrf`, Path=/, no Domain, HttpOnly, Secure, SameSite=Strict. */
export function assertCsrfCookie(res: Response, what: string): string {
  const cookie = findSetCookie(res, CSRF_COOKIE);
  assert.ok(
    cookie && cookie.value !== '',
    `${what}: expected a ${CSRF_COOKIE} cookie; Set-Cookie: ${JSON.stringify(res.setCookies)}`,
  );
  assertHostCookieAttributes(cookie, { sameSite: 'strict', what });
  return cookie.value;
}

/** The session cookie as production sets it; `atLogin`: the response may also clear the anonymous token's cookie. */
export function assertProductionCookie(res: Response, what: string, { atLogin = false } = {}): void {
  const cookie = findSetCookie(res, COOKIE);
  assert.ok(cookie, `${what}: no ${COOKIE} cookie; Set-Cookie: ${JSON.stringify(res.setCookies)}`);
  const others = res.setCookies.map(parseSetCookie).filter((c) => c.name !== COOKIE);
  const cleared = (c: ReturnType<typeof parseSetCookie>) =>
    atLogin && c.name === CSRF_COOKIE && c.value === '' && (cookieLifetimeSeconds(c) ?? 1) <= 0;
  assert.deepEqual(
    others.filter((c) => !cleared(c)).map((c) => c.raw),
    [],
    `${what}: the session cookie should be the only cookie, named ` +
      `${COOKIE}${atLogin ? ` (besides clearing ${CSRF_COOKIE})` : ''}: ${JSON.stringify(res.setCookies)}`,
  );
  assert.match(cookie.value, /^s%3A/, `${what}: a signed session id: ${cookie.raw}`);
  assertHostCookieAttributes(cookie, { what });
}

/** The app's stderr gained no stack trace and no "internal server error" since `mark`. */
export function assertNothingLogged(instance: Instance, mark: number, what: string): void {
  const added = instance.stderr().slice(mark);
  assert.doesNotMatch(added, STACK_LINE, `${what}: the app logged a stack trace (a 500?):\n${added}`);
  assert.doesNotMatch(added, /internal server error|Error:/i, `${what}: the app logged an error:\n${added}`);
}

/** Throttled: 429 with a Retry-After in the future. */
export function assertThrottled(res: Response, what: string): void {
  assert.equal(res.status, 429, `${what}: expected 429, got ${res.status} ${res.text}`);
  const retry = Number(res.headers['retry-after']);
  assert.ok(
    Number.isInteger(retry) && retry > 0,
    `${what}: Retry-After should be a number of seconds: ${res.headers['retry-after']}`,
  );
}

/** Ten failed logins (401 each) then the 11th is 429; `client(i)` makes the i-th request's client. */
export async function exhaustThrottle(
  client: (i: number) => Client,
  jar: CookieJar,
  token: string,
  who: string,
): Promise<void> {
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) {
    const res = await client(i).post('/login', {
      jar: jar.clone(),
      json: { username: USER, password: WRONG },
      headers: { 'x-csrf-token': token },
    });
    statuses.push(res.status);
    if (i === 10) assertThrottled(res, `${who}: the 11th failed login`);
  }
  assert.deepEqual(statuses, [...Array(10).fill(401), 429], `${who}: ten 401s, then 429`);
}
