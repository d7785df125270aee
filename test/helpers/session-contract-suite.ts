// The session contract's tests (session-contract.ts) for an app reached over HTTPS, registered by
// one call: the default app behind nginx and the memory store serving HTTPS itself keep the same
// contract, and differ only in the options here.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { cookieLifetimeSeconds, CookieJar } from './https-client.ts';
import {
  assertHostSessionCookie,
  assertLoginRegeneratesId,
  assertLogoutClearsCookie,
  assertOneHsts,
  type SessionApi,
} from './session-contract.ts';

export interface ContractOptions {
  /** The session cookie's lifetime as --max-age gave it, in seconds. */
  maxAgeS: number;
  /** The paths whose answers must carry exactly one HSTS header. */
  hstsPaths: string[];
  /** Also try a wrong password at login (401). */
  wrongPassword?: boolean;
  /** Also check that logout clears the cookie without Domain. */
  withoutDomain?: boolean;
}

/** Registers the cookie, HSTS, login and logout tests against `api`. */
export function sessionContractTests(api: SessionApi, o: ContractOptions): void {
  it(
    `an anonymous GET /session sets no ${api.cookie}; login sets it: Path=/, no Domain, HttpOnly, ` +
      `Secure, SameSite=Lax, for ${o.maxAgeS} s`,
    async () => {
      const cookie = await assertHostSessionCookie(api);
      const lifetime = cookieLifetimeSeconds(cookie);
      assert.ok(lifetime !== undefined, `no Expires/Max-Age: ${cookie.raw}`);
      assert.ok(
        Math.abs(lifetime - o.maxAgeS) <= 5,
        `lifetime should be about ${o.maxAgeS} s, is ${lifetime}: ${cookie.raw}`,
      );
    },
  );

  it('sends exactly one Strict-Transport-Security header, max-age of at least a year', async () => {
    for (const path of o.hstsPaths) {
      assertOneHsts(await api.client().get(path, { jar: new CookieJar() }), `GET ${path}`);
    }
  });

  it(
    `POST /login: 403 without the CSRF token${o.wrongPassword ? ', 401 with a wrong password' : ''}, 200; ` +
      'logging in again gives a new session id, the old one stays anonymous',
    () => assertLoginRegeneratesId(api, { wrongPassword: o.wrongPassword }),
  );

  it(
    `POST /logout: 204, clears the cookie with Secure and Path=/${o.withoutDomain ? ', no Domain' : ''}, ` +
      'and the old cookie is logged out',
    () => assertLogoutClearsCookie(api, { withoutDomain: o.withoutDomain }),
  );
}
