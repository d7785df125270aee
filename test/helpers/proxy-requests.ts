// Requests as a proxy or a platform's router sends them to the app: each with the headers given
// (X-Forwarded-*), for the tests of what the app believes of them; and that app's production
// environment.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AppEnv } from './app-process.ts';
import { CSRF_COOKIE, PASSWORD, USER } from './constants.ts';
import type { GeneratedApp } from './generated-app.ts';
import { CookieJar, type Client } from './https-client.ts';
import { csrfToken } from './session-contract.ts';

/** The anonymous CSRF token's cookie (GET /session sets it instead of a session cookie), Strict. */
export const ANONYMOUS_COOKIE = { name: CSRF_COOKIE, sameSite: 'strict' } as const;

/** Production on `port`, with HOST and TRUST_PROXY left to the generated defaults. */
export function productionEnv(app: GeneratedApp, port: number): AppEnv {
  return {
    PORT: String(port),
    SESSION_SECRET: randomBytes(24).toString('hex'),
    SQLITE_PATH: join(app.root, 'sessions.db'),
  };
}

/** GET /session then POST /login through `c`; returns both responses. */
export async function loginThrough(c: Client, headers: Record<string, string> = {}, password = PASSWORD) {
  const jar = new CookieJar();
  const first = await c.get('/session', { jar, headers });
  assert.equal(first.status, 200, `GET /session: ${first.status} ${first.text}`);
  const login = await c.post('/login', {
    jar,
    headers: { ...headers, 'x-csrf-token': csrfToken(first) },
    json: { username: USER, password },
  });
  return { jar, first, login };
}

/** 12 failed logins, each with headers from `headersFor(i)`; the statuses. */
export async function failedLogins(c: Client, headersFor: (i: number) => Record<string, string>): Promise<number[]> {
  const jar = new CookieJar();
  const first = await c.get('/session', { jar, headers: headersFor(0) });
  const token = csrfToken(first);
  const statuses: number[] = [];
  for (let i = 0; i < 12; i += 1) {
    const res = await c.post('/login', {
      jar,
      headers: { ...headersFor(i), 'x-csrf-token': token },
      json: { username: USER, password: 'wrong' },
    });
    statuses.push(res.status);
  }
  return statuses;
}
