// The store suite's tests of sessions in the store (test/e2e/stores.test.ts registers them per
// store): the cookie and the stored session from login on, logout, restarts, two instances sharing
// the sessions, and fifty clients at once who never see each other's.
import assert from 'node:assert/strict';
import https from 'node:https';
import { it } from 'node:test';
import { COOKIE, DOMAIN, PASSWORD, USER } from '../constants.ts';
import { client, cookieLifetimeSeconds, findSetCookie } from '../https-client.ts';
import { assertHostCookieAttributes, assertNewIdAtLogin, getSession, logIn } from '../session-contract.ts';
import { sessionIdFromCookie } from '../store-clients.ts';
import type { StoreFixture } from './fixture.ts';

const CLIENTS = 50;
const REQUESTS_PER_CLIENT = 20;

export function sessionTests(f: StoreFixture): void {
  const { storeCase, login, logout, inStore, sid, direct, startInstance, stopInstance } = f;

  it(
    `${COOKIE} over HTTPS through nginx: Path=/, no Domain, HttpOnly, Secure, SameSite=Lax; ` +
      `stored in ${storeCase.id} from login on; logging in again gives a new id`,
    async () => {
      const jar = f.jar();
      const anonymousGet = await getSession(f.https, jar);
      assert.equal(
        findSetCookie(anonymousGet.res, COOKIE),
        undefined,
        `an anonymous GET /session must not set ${COOKIE}: ${JSON.stringify(anonymousGet.res.setCookies)}`,
      );
      const { res } = await logIn(f.https, jar, { username: USER, password: PASSWORD });
      const cookie = findSetCookie(res, COOKIE);
      assert.ok(cookie, `no ${COOKIE} cookie; Set-Cookie: ${JSON.stringify(res.setCookies)}`);
      assertHostCookieAttributes(cookie);
      const lifetime = cookieLifetimeSeconds(cookie);
      assert.ok(
        lifetime !== undefined && Math.abs(lifetime - 30 * 60) <= 5,
        `lifetime should be about 1800 s: ${cookie.raw}`,
      );

      const first = sid(jar);
      assert.ok(await inStore(first), `the logged-in session should be in the store: ${f.inspector!.where(first)}`);
      if (f.forwarder) assert.ok(f.forwarder.accepted > 0, 'the app should reach the store through the test forwarder');

      await assertNewIdAtLogin({
        cookie: COOKIE,
        jar,
        relogin: () => login(f.https, jar), // again, from the logged-in session
        session: (j, what) => getSession(f.https, j, what),
        newJar: (initial) => f.jar(initial),
        afterLogin: async ({ after: loggedIn }) => {
          assert.ok(
            await inStore(loggedIn),
            `the logged-in session should be in the store: ${f.inspector!.where(loggedIn)}`,
          );
          assert.equal(
            await inStore(first),
            false,
            `login should delete the pre-login session from the store: ${f.inspector!.where(first)}`,
          );
        },
      });
    },
  );

  it(`logout deletes the session in ${storeCase.id} (queried directly, not through the app)`, async () => {
    const jar = f.jar();
    const token = await login(f.https, jar);
    const id = sid(jar);
    const cookie = jar.get(COOKIE)!;
    assert.ok(await inStore(id), `after login: ${f.inspector!.where(id)} should exist`);
    await logout(f.https, jar, token);
    assert.equal(await inStore(id), false, `after logout: ${f.inspector!.where(id)} should be gone`);
    assert.equal(
      (await getSession(f.https, f.jar({ [COOKIE]: cookie }))).authenticated,
      false,
      'the logged-out cookie must not be logged in',
    );
  });

  it('a session survives a restart of the app (both instances)', { timeout: 60_000 }, async () => {
    const jar = f.jar();
    const token = await login(f.https, jar);
    await Promise.all([stopInstance(0), stopInstance(1)]);
    await startInstance(0);
    await startInstance(1);
    for (const i of [0, 1] as const) {
      const s = await getSession(direct(i), jar, `GET /session on instance ${'AB'[i]} after the restart`);
      assert.equal(
        s.authenticated,
        true,
        `instance ${'AB'[i]}: the same cookie should still be logged in after a restart`,
      );
      assert.equal(s.token, token, 'the session data should be intact');
    }
    assert.equal((await getSession(f.https, jar)).authenticated, true, 'through nginx, too');
  });

  it(
    `scale-out: two instances share the ` +
      `sessions${storeCase.id === 'sqlite' ? ' (one SQLite file, WAL, on one machine)' : ''}`,
    { timeout: 90_000 },
    async () => {
      const jar = f.jar();
      const token = await login(f.https, jar);
      for (const i of [0, 1] as const) {
        const s = await getSession(direct(i), jar, `GET /session on instance ${'AB'[i]}`);
        assert.equal(s.authenticated, true, `instance ${'AB'[i]} should see the login made through nginx`);
        assert.equal(s.token, token, `instance ${'AB'[i]} should see the same session`);
      }
      // Only one instance up at a time: nginx must send every request to it, and it must know us.
      for (const [down, up] of [
        [0, 1],
        [1, 0],
      ] as const) {
        await stopInstance(down);
        for (let k = 0; k < 4; k++) {
          const s = await getSession(f.https, jar, `GET /session through nginx with only instance ${'AB'[up]} up`);
          assert.equal(
            s.authenticated,
            true,
            `with only instance ${'AB'[up]} up, the session should still be logged in`,
          );
          assert.equal(s.token, token);
        }
        await startInstance(down);
      }
      // Logout on A logs out on B (and through nginx).
      const old = sid(jar);
      const cookie = f.jar({ [COOKIE]: jar.get(COOKIE)! });
      await logout(direct(0), jar, token);
      assert.equal(await inStore(old), false, `after logout on A: ${f.inspector!.where(old)} should be gone`);
      assert.equal(
        (await getSession(direct(1), cookie)).authenticated,
        false,
        'logged out on A: B must not know the session',
      );
      assert.equal(
        (await getSession(f.https, cookie)).authenticated,
        false,
        'logged out on A: nginx must not find the session either',
      );
    },
  );

  it(
    `${CLIENTS} clients × ${REQUESTS_PER_CLIENT} requests through nginx ` +
      `across both instances: each sees only its own session, none is lost`,
    { timeout: 120_000 },
    async () => {
      const logBefore = (await f.nginx!.accessLog()).length;
      const started = Date.now();
      interface Outcome {
        index: number;
        leaver: boolean;
        sid: string;
        cookie: string;
        token: string;
        requests: number;
      }
      const runClient = async (index: number): Promise<Outcome> => {
        // keep-alive, one connection per client, like a browser tab; each from an address of its own,
        // as fifty users would be: the login throttle allows at most ten logins at once per address
        const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
        const c = client({
          port: f.site!.httpsPort,
          hostname: DOMAIN,
          ca: f.cert!.cert,
          agent,
          localAddress: `127.0.1.${index + 1}`,
        });
        const jar = f.jar();
        const leaver = index % 2 === 0;
        let requests = 0;
        const where = (what: string) => `client ${index}, request ${requests}: ${what}`;
        try {
          const first = await getSession(c, jar, where('anonymous GET /session'));
          requests++;
          assert.equal(first.authenticated, false, where('a new client is not logged in'));
          // 50 logins at once are 50 scrypt hashes at OWASP's parameters (about 0.3 s of CPU and 128 MiB
          // each) on two instances sharing this machine's cores: they queue for many seconds.
          const res = await c.post('/login', {
            jar,
            json: { username: USER, password: PASSWORD },
            headers: { 'x-csrf-token': first.token },
            timeoutMs: 60_000,
          });
          requests++;
          assert.equal(res.status, 200, where(`POST /login: ${res.status} ${res.text}`));
          const token = (res.json as { csrfToken: string }).csrfToken;
          const cookie = jar.get(COOKIE)!;
          // a leaver logs out half-way, while the others go on; every client makes REQUESTS_PER_CLIENT requests
          const loggedInGets = leaver ? Math.floor((REQUESTS_PER_CLIENT - 3) / 2) : REQUESTS_PER_CLIENT - 2;
          for (let k = 0; k < loggedInGets; k++) {
            const s = await getSession(c, jar, where('GET /session'));
            requests++;
            assert.equal(s.authenticated, true, where('should still be logged in'));
            assert.equal(s.token, token, where("should see its OWN session's CSRF token"));
            assert.equal(jar.get(COOKIE), cookie, where('the session cookie must not change'));
          }
          if (leaver) {
            await logout(c, jar, token);
            requests++;
            let anonymousToken: string | undefined;
            while (requests < REQUESTS_PER_CLIENT) {
              const s = await getSession(c, jar, where('GET /session after logout'));
              requests++;
              assert.equal(s.authenticated, false, where('should be logged out'));
              assert.notEqual(s.token, token, where('a new session after logout'));
              anonymousToken ??= s.token;
              assert.equal(s.token, anonymousToken, where('its new anonymous session should keep its CSRF token'));
            }
          }
          return { index, leaver, sid: sessionIdFromCookie(cookie), cookie, token, requests };
        } finally {
          agent.destroy();
        }
      };
      const results = await Promise.allSettled(Array.from({ length: CLIENTS }, (_, i) => runClient(i)));
      const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(
        failures.length,
        0,
        `${failures.length} of ${CLIENTS} clients failed; first ones:\n${failures
          .slice(0, 3)
          .map((f) => String(f.reason?.message ?? f.reason))
          .join('\n')}`,
      );
      const outcomes = results.map((r) => (r as PromiseFulfilledResult<Outcome>).value);
      const total = outcomes.reduce((n, o) => n + o.requests, 0);
      const elapsed = Date.now() - started;
      assert.equal(
        new Set(outcomes.map((o) => o.sid)).size,
        CLIENTS,
        'every client should have had its own session id',
      );
      assert.equal(
        new Set(outcomes.map((o) => o.token)).size,
        CLIENTS,
        'every client should have had its own CSRF token',
      );

      // Nothing lost: those who stayed are still logged in (and in the store), those who left are gone.
      for (const o of outcomes) {
        const s = await getSession(f.https, f.jar({ [COOKIE]: o.cookie }), `client ${o.index} at the end`);
        assert.equal(
          s.authenticated,
          !o.leaver,
          `client ${o.index} (${o.leaver ? 'logged out' : 'stayed'}) at the end`,
        );
        if (!o.leaver) assert.equal(s.token, o.token, `client ${o.index}: its session data at the end`);
        assert.equal(await inStore(o.sid), !o.leaver, `client ${o.index}: ${f.inspector!.where(o.sid)} at the end`);
      }

      // Both instances served the clients (nginx logs which upstream answered each request).
      const log = (await f.nginx!.accessLog()).slice(logBefore);
      const served = f.ports.map((p) => log.split('\n').filter((l) => l.includes(`upstream=127.0.0.1:${p}`)).length);
      console.log(
        `# ${storeCase.id}: ${total} requests from ${CLIENTS} clients in ` +
          `${elapsed} ms; instance A served ${served[0]}, B ${served[1]}`,
      );
      for (const [i, n] of served.entries())
        assert.ok(n >= total / 10, `instance ${'AB'[i]} served only ${n} of ${total} requests`);
    },
  );
}
