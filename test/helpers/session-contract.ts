// The session contract every generated app keeps over HTTPS, whatever its store and proxy: GET /session
// hands out the cookie and a CSRF token, POST /login regenerates the session id, POST /logout clears
// the cookie. The e2e tests that reach the app over TLS share these calls and checks.
import assert from 'node:assert/strict';
import { COOKIE } from './constants.ts';
import {
  cookieLifetimeSeconds,
  CookieJar,
  findSetCookie,
  headerValues,
  type Client,
  type Response,
  type SetCookie,
} from './https-client.ts';
import { sessionIdFromCookie } from './store-clients.ts';

/** The CSRF token the app hands out with the session, from the JSON body or a response header. */
export function csrfToken(res: Response): string {
  const body = res.json as Record<string, unknown> | undefined;
  const token = body?.csrfToken ?? res.headers['x-csrf-token'];
  assert.equal(typeof token, 'string', `no CSRF token in GET /session: ${res.status} ${res.text}`);
  return token as string;
}

export interface SessionState {
  res: Response;
  authenticated: boolean;
  token: string;
}

/** GET /session, asserting it answers 200, says whether it is authenticated and hands out a CSRF token. */
export async function getSession(c: Client, jar: CookieJar, what = 'GET /session'): Promise<SessionState> {
  const res = await c.get('/session', { jar });
  assert.equal(res.status, 200, `${what}: ${res.status} ${res.text}`);
  const body = res.json as { authenticated?: unknown; csrfToken?: unknown } | undefined;
  assert.equal(typeof body?.authenticated, 'boolean', `${what} should say whether it is authenticated: ${res.text}`);
  assert.equal(typeof body?.csrfToken, 'string', `${what} should hand out a CSRF token: ${res.text}`);
  return { res, authenticated: body!.authenticated as boolean, token: body!.csrfToken as string };
}

/** GET /session, then POST /login with its token; returns the new session's token and the response. */
export async function logIn(
  c: Client,
  jar: CookieJar,
  credentials: { username: string; password: string },
): Promise<{ token: string; res: Response }> {
  const { token } = await getSession(c, jar, 'GET /session before login');
  const res = await c.post('/login', { jar, json: credentials, headers: { 'x-csrf-token': token } });
  assert.equal(res.status, 200, `POST /login: ${res.status} ${res.text}`);
  const newToken = (res.json as { csrfToken?: unknown } | undefined)?.csrfToken;
  assert.equal(typeof newToken, 'string', `POST /login should hand out the new session's CSRF token: ${res.text}`);
  return { token: newToken as string, res };
}

/** The session id inside the jar's session cookie (`s:<id>.<signature>`). */
export function sessionIdIn(jar: CookieJar, cookie: string): string {
  const value = jar.get(cookie);
  assert.ok(value, `no ${cookie} cookie in the jar`);
  return sessionIdFromCookie(value);
}

export interface SessionApi {
  /** The session cookie's name (e.g. `__Host-sid`). */
  cookie: string;
  /** The demo user's right password. */
  password: string;
  client: () => Client;
  session: (
    jar: CookieJar,
    headers?: Record<string, string>,
  ) => Promise<{ res: Response; authenticated: boolean; token: string }>;
  login: (jar: CookieJar, password?: string, token?: string, headers?: Record<string, string>) => Promise<Response>;
}

/** GET /session and POST /login through `client()` (a getter: the client is usually made in a `before`). */
export function sessionApi(o: { client: () => Client; cookie: string; user: string; password: string }): SessionApi {
  return {
    cookie: o.cookie,
    password: o.password,
    client: o.client,
    async session(jar, headers = {}) {
      const res = await o.client().get('/session', { jar, headers });
      assert.equal(res.status, 200, `GET /session: ${res.status} ${res.text}`);
      const body = res.json as { authenticated?: unknown } | undefined;
      assert.equal(
        typeof body?.authenticated,
        'boolean',
        `GET /session should say whether it is authenticated: ${res.text}`,
      );
      return { res, authenticated: body!.authenticated as boolean, token: csrfToken(res) };
    },
    login(jar, password = o.password, token, headers = {}) {
      return o.client().post('/login', {
        jar,
        json: { username: o.user, password },
        headers: { ...headers, ...(token === undefined ? {} : { 'x-csrf-token': token }) },
      });
    },
  };
}

/**
 * An anonymous GET /session sets no session cookie (visitors who never log in store nothing); POST
 * /login with its token sets the `__Host-` session cookie: Path=/, no Domain, HttpOnly, Secure,
 * SameSite=Lax. Returns it for the caller's own lifetime check.
 */
export async function assertHostSessionCookie(api: SessionApi): Promise<SetCookie> {
  const COOKIE = api.cookie;
  const jar = new CookieJar();
  const res = await api.client().get('/session', { jar });
  assert.equal(res.status, 200, res.text);
  assert.equal(
    findSetCookie(res, COOKIE),
    undefined,
    `an anonymous GET /session must not set ${COOKIE}: ${JSON.stringify(res.setCookies)}`,
  );
  const login = await api.login(jar, api.password, csrfToken(res));
  assert.equal(login.status, 200, `POST /login: ${login.status} ${login.text}`);
  const cookie = findSetCookie(login, COOKIE);
  assert.ok(cookie, `no ${COOKIE} cookie after login; Set-Cookie: ${JSON.stringify(login.setCookies)}`);
  assert.notEqual(cookie.value, '');
  assertHostCookieAttributes(cookie);
  return cookie;
}

/**
 * A `__Host-` cookie's attributes: Path=/, no Domain, HttpOnly, Secure, and `sameSite` (Lax for the
 * session, Strict for the anonymous CSRF token's cookie). `what` starts each message.
 */
export function assertHostCookieAttributes(
  cookie: SetCookie,
  { sameSite = 'lax', what = '' }: { sameSite?: 'lax' | 'strict'; what?: string } = {},
): void {
  assertCookieAttributes(cookie, { sameSite, what, secure: true });
}

/**
 * The response sets the `__Host-` cookie `name` (the session's, unless given) with a value and the
 * attributes of assertHostCookieAttributes; returns it.
 */
export function assertSetsHostCookie(
  res: Response,
  what: string,
  { name = COOKIE, sameSite = 'lax' }: { name?: string; sameSite?: 'lax' | 'strict' } = {},
): SetCookie {
  const cookie = findSetCookie(res, name);
  assert.ok(cookie && cookie.value !== '', `${what}: no ${name} cookie; Set-Cookie: ${JSON.stringify(res.setCookies)}`);
  assertHostCookieAttributes(cookie, { sameSite, what });
  return cookie;
}

/**
 * The attributes every cookie of the app has: Path=/, no Domain, HttpOnly, `sameSite`, and Secure
 * or (`secure: false`, development over http://localhost) not. `what` starts each message.
 */
export function assertCookieAttributes(
  cookie: SetCookie,
  o: { sameSite?: 'lax' | 'strict'; secure: boolean; what?: string },
): void {
  const { sameSite = 'lax', secure, what = '' } = o;
  const a = cookie.attributes;
  const say = (text: string) => `${what ? `${what}: ` : ''}${text} (${cookie.raw})`;
  assert.equal(a.get('path'), '/', say('Path=/'));
  assert.equal(a.has('domain'), false, say(secure ? 'a __Host- cookie has no Domain' : 'no Domain'));
  assert.ok(a.has('httponly'), say('HttpOnly missing'));
  if (secure) assert.ok(a.has('secure'), say('Secure missing'));
  else assert.equal(a.has('secure'), false, say('development over http://localhost must not be Secure'));
  assert.equal(a.get('samesite')?.toLowerCase(), sameSite, say(`SameSite=${sameSite}`));
}

/** The least HSTS max-age that counts: a year, in seconds. */
export const ONE_YEAR = 31_536_000;

/** Exactly one Strict-Transport-Security header, with one max-age of at least a year. `what` starts each message. */
export function assertOneHsts(res: Response, what: string): void {
  const hsts = headerValues(res, 'strict-transport-security');
  assert.equal(hsts.length, 1, `${what}: ${hsts.length} Strict-Transport-Security headers: ${JSON.stringify(hsts)}`);
  const maxAges = [...hsts[0]!.matchAll(/max-age=(\d+)/gi)];
  assert.equal(maxAges.length, 1, `${what}: one max-age in ${hsts[0]}`);
  assert.ok(Number(maxAges[0]![1]) >= ONE_YEAR, `${what}: HSTS max-age should be at least ${ONE_YEAR}: ${hsts[0]}`);
}

/** The response's session cookie lives `seconds` (give or take one). */
export function assertCookieLives(res: Response, seconds: number): void {
  const lifetime = cookieLifetimeSeconds(findSetCookie(res, COOKIE)!);
  assert.ok(
    lifetime !== undefined && Math.abs(lifetime - seconds) <= 1,
    `the cookie should live ${seconds} s: ${res.setCookies.join(' | ')}`,
  );
}

/**
 * The response clears the `__Host-` cookie `name`: an empty value that expires at once, with Secure
 * and Path=/ (a browser ignores the clearing otherwise), and with `withoutDomain` no Domain.
 */
export function assertClearsHostCookie(
  res: Response,
  name: string,
  { what = '', withoutDomain = false } = {},
): SetCookie {
  const cleared = findSetCookie(res, name);
  assert.ok(cleared, `${what} should clear ${name}; Set-Cookie: ${JSON.stringify(res.setCookies)}`);
  assert.equal(cleared.value, '', cleared.raw);
  const lifetime = cookieLifetimeSeconds(cleared);
  assert.ok(lifetime !== undefined && lifetime <= 0, `the clearing cookie must expire at once: ${cleared.raw}`);
  assert.ok(cleared.attributes.has('secure'), `a __Host- cookie is only cleared with Secure: ${cleared.raw}`);
  assert.equal(cleared.attributes.get('path'), '/', `a __Host- cookie is only cleared with Path=/: ${cleared.raw}`);
  if (withoutDomain)
    assert.equal(
      cleared.attributes.has('domain'),
      false,
      `a __Host- cookie is only cleared without Domain: ${cleared.raw}`,
    );
  return cleared;
}

/**
 * No session fixation: logging in again from the logged-in `jar` (`relogin`) issues a new session
 * id; `afterLogin` (the caller's checks of the store) runs; the new cookie is logged in; then the
 * cookie held before, replayed in a jar of its own (`newJar`), is anonymous. Returns both ids and the
 * replay's GET /session.
 */
export async function assertNewIdAtLogin(o: {
  cookie: string;
  jar: CookieJar;
  relogin: () => Promise<unknown>;
  session: (jar: CookieJar, what?: string) => Promise<Pick<SessionState, 'res' | 'authenticated'>>;
  newJar?: (initial: Record<string, string>) => CookieJar;
  afterLogin?: (ids: { before: string; after: string }) => Promise<void>;
}): Promise<{ before: string; after: string; replay: Pick<SessionState, 'res' | 'authenticated'> }> {
  const { cookie: COOKIE, jar, newJar = (initial) => new CookieJar(initial) } = o;
  const held = jar.get(COOKIE);
  assert.ok(held, 'login should set the session cookie');
  await o.relogin();
  const now = jar.get(COOKIE);
  assert.ok(now, 'login should set the session cookie');
  const ids = { before: sessionIdFromCookie(held), after: sessionIdFromCookie(now) };
  assert.notEqual(ids.after, ids.before, 'login must regenerate the session id (session fixation)');
  await o.afterLogin?.(ids);
  assert.equal((await o.session(jar)).authenticated, true, 'the new cookie is logged in');
  const replay = await o.session(newJar({ [COOKIE]: held }), 'GET /session with the pre-login cookie');
  assert.equal(replay.authenticated, false, 'the pre-login cookie must not be logged in');
  return { ...ids, replay };
}

/**
 * POST /login: 403 without the CSRF token, (with `wrongPassword`) 401 with a wrong password, 200 with
 * the right one; the anonymous GET /session before it set no session cookie. Logging in again from
 * that session gives a new session id; the cookie held before it is not logged in any more.
 */
export async function assertLoginRegeneratesId(api: SessionApi, o: { wrongPassword?: boolean } = {}): Promise<void> {
  const { session, login, cookie: COOKIE, password: PASSWORD } = api;
  const jar = new CookieJar();
  const { token } = await session(jar);
  assert.equal(jar.get(COOKIE), undefined, 'an anonymous GET /session must not set the session cookie');

  const noToken = await login(jar.clone());
  assert.equal(noToken.status, 403, `without x-csrf-token: ${noToken.status} ${noToken.text}`);

  if (o.wrongPassword) {
    const wrong = await login(jar.clone(), 'not the password', token);
    assert.equal(wrong.status, 401, `wrong password: ${wrong.status} ${wrong.text}`);
  }

  const ok = await login(jar, PASSWORD, token);
  assert.equal(ok.status, 200, `right password: ${ok.status} ${ok.text}`);
  assert.equal((await session(jar)).authenticated, true, 'the new cookie is logged in');

  await assertNewIdAtLogin({
    cookie: COOKIE,
    jar,
    relogin: async () => {
      const again = await login(jar, PASSWORD, (ok.json as { csrfToken: string }).csrfToken);
      assert.equal(again.status, 200, `logging in again: ${again.status} ${again.text}`);
    },
    session: (j) => session(j),
  });
}

/**
 * POST /logout after a login: 204 and a Set-Cookie that clears the `__Host-` cookie (empty, expired,
 * Secure, Path=/, and with `withoutDomain` no Domain); the logged-in cookie is logged out.
 */
export async function assertLogoutClearsCookie(api: SessionApi, o: { withoutDomain?: boolean } = {}): Promise<void> {
  const { session, login, cookie: COOKIE, password: PASSWORD } = api;
  const jar = new CookieJar();
  const { token } = await session(jar);
  assert.equal((await login(jar, PASSWORD, token)).status, 200);
  const loggedIn = jar.get(COOKIE)!;
  const { token: token2, authenticated } = await session(jar);
  assert.equal(authenticated, true);

  const res = await api.client().post('/logout', { jar, headers: { 'x-csrf-token': token2 } });
  assert.equal(res.status, 204, `logout: ${res.status} ${res.text}`);
  assertClearsHostCookie(res, COOKIE, { what: 'logout', withoutDomain: o.withoutDomain });

  const replay = new CookieJar({ [COOKIE]: loggedIn });
  assert.equal((await session(replay)).authenticated, false, 'the logged-out cookie must not be logged in');
}
