// The checks that log in with an account (VERIFY_USER, VERIFY_PASSWORD): the session cookie as login
// sets it through the proxy, a new session id at every login, and a logout that a replay of the old
// cookie proves. An anonymous visitor gets no session cookie (nothing is stored before login), so login
// is where the session cookie, and the proxy trouble that keeps it from being set, can be seen.
import { cookieName } from '../../src/session.ts';
import type { Context } from './checks.ts';
import { cookieProblems } from './cookies.ts';
import { CLAIM_HTTPS, forwardingCause, isRedirect, sessionRedirectCause } from './forwarding.ts';
import { describeError, jsonOf, request } from './http.ts';
import type { Answer } from './http.ts';
import { fail, pass, skip } from './report.ts';
import type { Outcome, Result } from './report.ts';

export interface Credentials {
  username: string;
  password: string;
}

const SESSION_COOKIE = cookieName({ production: true });

export const LOGIN_CHECKS = {
  login: 'POST /login with the CSRF token logs in',
  'session-cookie': `login sets ${SESSION_COOKIE}: Secure, HttpOnly, SameSite=Lax, Path=/, no Domain`,
  'new-session-id': 'logging in again gives a new session id, and the old one is dead',
  logout: 'POST /logout needs the CSRF token, and a replay of the old cookie after it is anonymous',
} as const;
type LoginCheck = keyof typeof LOGIN_CHECKS;

/** Ends the flow: this check's outcome, and every later one not run because of it. */
class Stop extends Error {
  id: LoginCheck;
  outcome: Outcome;
  constructor(id: LoginCheck, outcome: Outcome) {
    super(outcome.cause);
    this.id = id;
    this.outcome = outcome;
  }
}

/** Every login check with the same outcome (no account, or skipped on purpose). */
export function loginNotRun(outcome: Outcome): Result[] {
  return Object.entries(LOGIN_CHECKS).map(([id, title]) => ({ id, title, ...outcome }));
}

/** The cookies an answer set, as the next request sends them back (a cleared one is dropped). */
function jarAfter(jar: Record<string, string>, answer: Answer): Record<string, string> {
  const next = { ...jar };
  for (const c of answer.cookies) {
    if (c.value === '') delete next[c.name];
    else next[c.name] = c.value;
  }
  return next;
}

/** The session cookie an answer set (not one it cleared). */
const sessionCookieOf = (answer: Answer) => answer.cookies.find((c) => c.name === SESSION_COOKIE && c.value !== '');

/** The session id in a cookie value: `s:<id>.<signature>`, URL-encoded. */
const sessionId = (value: string) => /^s:([^.]*)\./.exec(decodeURIComponent(value))?.[1] ?? value;

export async function loginChecks(ctx: Context, account: Credentials): Promise<Result[]> {
  const outcomes = new Map<LoginCheck, Outcome>();
  try {
    await flow(ctx, account, outcomes);
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    outcomes.set(error.id, error.outcome);
    for (const id of Object.keys(LOGIN_CHECKS) as LoginCheck[]) {
      if (!outcomes.has(id)) outcomes.set(id, fail(`not run: ${error.id} failed`, `see ${error.id} above`));
    }
  }
  return (Object.keys(LOGIN_CHECKS) as LoginCheck[]).map((id) => ({
    id,
    title: LOGIN_CHECKS[id],
    ...outcomes.get(id)!,
  }));
}

async function flow(ctx: Context, account: Credentials, outcomes: Map<LoginCheck, Outcome>) {
  const send = (id: LoginCheck, what: string, o: Parameters<typeof request>[1]) =>
    request(ctx.target, o).catch((error: NodeJS.ErrnoException) => {
      throw new Stop(id, fail(`${what} failed: ${describeError(error)}`, ctx.proxy.fixes.https));
    });
  const anonymous = async (id: LoginCheck) => {
    const answer = await send(id, 'GET /session', { path: '/session' });
    if (isRedirect(answer)) {
      outcomes.set(id, fail('not run: GET /session is redirected, see session-cookie', 'see session-cookie'));
      throw new Stop('session-cookie', await sessionRedirectCause(ctx, answer));
    }
    const token = jsonOf(answer)?.csrfToken;
    if (typeof token !== 'string')
      throw new Stop(id, fail(`GET /session gave no csrfToken (${answer.status})`, ctx.proxy.fixes.upstream));
    return { jar: jarAfter({}, answer), token };
  };
  const logIn = async (
    id: LoginCheck,
    jar: Record<string, string>,
    token: string,
    headers: Record<string, string> = {},
  ) =>
    send(id, 'POST /login', {
      method: 'POST',
      path: '/login',
      cookies: jar,
      headers: { 'x-csrf-token': token, ...headers },
      json: { username: account.username, password: account.password },
    });
  const whoAmI = async (id: LoginCheck, jar: Record<string, string>) =>
    jsonOf(await send(id, 'GET /session', { path: '/session', cookies: jar }));

  // login, and the session cookie it sets
  const start = await anonymous('login');
  const first = await logIn('login', start.jar, start.token);
  if (first.status !== 200) throw new Stop('login', loginRefused(first, account));
  const cookie = sessionCookieOf(first);
  if (!cookie) {
    outcomes.set(
      'login',
      fail('login answered 200, but no session cookie came back: see session-cookie', 'see session-cookie'),
    );
    throw new Stop('session-cookie', await missingCookie(ctx, account, first));
  }
  const problems = cookieProblems(cookie, 'lax');
  outcomes.set(
    'session-cookie',
    problems.length === 0
      ? pass(cookie.raw.replace(/=[^;]*/, '=…'))
      : fail(`${SESSION_COOKIE}: ${problems.join(', ')}`, 'src/session: cookieOptions() sets these; keep them'),
  );
  let jar = jarAfter(start.jar, first);
  const me = await whoAmI('login', jar);
  if (me?.authenticated !== true || (me.user as { name?: unknown } | undefined)?.name !== account.username) {
    throw new Stop('login', fail(`after login, GET /session says ${JSON.stringify(me)}`, ctx.proxy.fixes.upstream));
  }
  outcomes.set('login', pass(`logged in as ${account.username}`));

  // a second login while logged in: the id must change, and the old one must be dead
  const again = await logIn('new-session-id', jar, String(jsonOf(first)?.csrfToken));
  const renewed = sessionCookieOf(again);
  if (again.status !== 200 || !renewed) {
    throw new Stop(
      'new-session-id',
      fail(`the second login answered ${again.status} without a session cookie`, ctx.proxy.fixes.upstream),
    );
  }
  const fixationFix = 'src/routes/session: login must call req.session.regenerate() before it stores the user';
  if (sessionId(renewed.value) === sessionId(cookie.value)) {
    throw new Stop('new-session-id', fail('login kept the session id it was sent (session fixation)', fixationFix));
  }
  if ((await whoAmI('new-session-id', jar))?.authenticated !== false) {
    throw new Stop(
      'new-session-id',
      fail('the session id from before the second login is still logged in', fixationFix),
    );
  }
  outcomes.set('new-session-id', pass('a new id, and the old one is anonymous'));
  jar = jarAfter(jar, again);

  // logout: refused without the token, then the session is gone for good
  const token = String(jsonOf(again)?.csrfToken);
  const forged = await send('logout', 'POST /logout', { method: 'POST', path: '/logout', cookies: jar });
  if (forged.status !== 403 || (await whoAmI('logout', jar))?.authenticated !== true) {
    throw new Stop(
      'logout',
      fail(
        `POST /logout without x-csrf-token answered ${forged.status}, not 403`,
        'the CSRF guard (src/csrf) must stay in front of every route',
      ),
    );
  }
  const out = await send('logout', 'POST /logout', {
    method: 'POST',
    path: '/logout',
    cookies: jar,
    headers: { 'x-csrf-token': token },
  });
  if (out.status !== 204)
    throw new Stop('logout', fail(`POST /logout answered ${out.status}, not 204`, ctx.proxy.fixes.upstream));
  if ((await whoAmI('logout', jar))?.authenticated !== false) {
    throw new Stop(
      'logout',
      fail(
        'the session cookie replayed after logout is still logged in',
        'src/routes/session: logout must call req.session.destroy()',
      ),
    );
  }
  outcomes.set('logout', pass('403 without the token; after logout the old cookie is anonymous'));
}

function loginRefused(answer: Answer, account: Credentials): Outcome {
  const body = answer.body.slice(0, 100);
  switch (answer.status) {
    case 401:
      return fail(
        `the account ${account.username} was refused (401)`,
        'check VERIFY_USER and VERIFY_PASSWORD, and that the account exists on the server (the user:add script)',
      );
    case 429:
      return fail(
        `too many failed logins from this address (429), for ${answer.headers['retry-after']} s`,
        'wait, and check the password',
      );
    case 403:
      return fail(
        `the CSRF token was refused (403 ${body})`,
        'the proxy must pass the __Host-csrf cookie and the x-csrf-token header on, unchanged',
      );
    default:
      return fail(`POST /login answered ${answer.status} ${body}`, "see the app's log");
  }
}

/** Login answered 200 without a session cookie: the app did not see HTTPS, so express-session dropped it. */
function missingCookie(ctx: Context, account: Credentials, answer: Answer): Promise<Outcome> {
  const sent = answer.cookies.map((c) => c.name).join(', ') || 'none';
  const seen = `login answered 200, but sent no ${SESSION_COOKIE} cookie (Set-Cookie: ${sent})`;
  return forwardingCause(ctx, seen, async () => {
    const session = await request(ctx.target, { path: '/session', headers: CLAIM_HTTPS });
    const jar = jarAfter({}, session);
    const retry = await request(ctx.target, {
      method: 'POST',
      path: '/login',
      cookies: jar,
      headers: { 'x-csrf-token': String(jsonOf(session)?.csrfToken), ...CLAIM_HTTPS },
      json: { username: account.username, password: account.password },
    });
    const cookie = sessionCookieOf(retry);
    if (!cookie) return false;
    // that session is ours: end it
    const token = String(jsonOf(retry)?.csrfToken);
    const headers = { 'x-csrf-token': token, ...CLAIM_HTTPS };
    await request(ctx.target, { method: 'POST', path: '/logout', cookies: jarAfter(jar, retry), headers });
    return true;
  });
}

/** Skipped on purpose: said on every run. */
export const SKIPPED_LOGIN = skip('NOT CHECKED: --skip-login was given');
