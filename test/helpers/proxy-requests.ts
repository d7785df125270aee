// Requests as a proxy or a platform's router sends them to the app: each with the headers given
// (X-Forwarded-*), for the tests of what the app believes of them.
import assert from 'node:assert/strict';
import { PASSWORD, USER } from './constants.ts';
import { CookieJar, type Client } from './https-client.ts';
import { csrfToken } from './session-contract.ts';

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
