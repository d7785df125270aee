// The store suite's tests of expiry (test/e2e/stores.test.ts registers them per store): with
// --max-age 3s the idle session is rejected and gone from the store, and activity keeps it alive;
// and, last, what no app process may print over the whole run.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApp, type RunningApp } from '../app-process.ts';
import { COOKIE, DOMAIN, PASSWORD, USER } from '../constants.ts';
import { client, type Client, type CookieJar } from '../https-client.ts';
import { sleep } from '../processes.ts';
import { assertCookieLives, getSession, logIn } from '../session-contract.ts';
import { assertGoneOrExpired } from '../store-clients.ts';
import { FORBIDDEN_STDERR } from './cases.ts';
import { SHORT_MAX_AGE_S, type StoreFixture } from './fixture.ts';

export function expiryTests(f: StoreFixture): void {
  const { sid, appEnv } = f;

  describe(`expiry, with --max-age ${SHORT_MAX_AGE_S}s (rolling, the default)`, () => {
    let running: RunningApp | undefined;
    let d: Client;

    before(async () => {
      running = await startApp({ dir: f.shortApp!.dir, env: appEnv(f.shortPort) });
      f.processes.push({ label: `the --max-age ${SHORT_MAX_AGE_S}s app`, stderr: running.stderr });
      d = client({ port: f.shortPort, hostname: DOMAIN, headers: { 'x-forwarded-proto': 'https' } });
    });

    after(async () => {
      await running?.stop();
    });

    /** Logs in; checks the cookie's and the store's lifetime; returns the session id and the store's record. */
    async function loginShort(jar: CookieJar) {
      const { res } = await logIn(d, jar, { username: USER, password: PASSWORD }); // the session starts at login
      assertCookieLives(res, SHORT_MAX_AGE_S);
      const id = sid(jar);
      const loggedInAt = Date.now();
      const record = await f.shortInspector!.session(id);
      assert.ok(record.exists, `after login: ${f.shortInspector!.where(id)} should exist`);
      assert.ok(record.expiresAtMs !== undefined, `${f.shortInspector!.where(id)} should carry an expiry`);
      const ahead = record.expiresAtMs - loggedInAt;
      assert.ok(
        ahead > 0 && ahead <= SHORT_MAX_AGE_S * 1000 + 1500,
        `${f.shortInspector!.where(id)} should expire within ${SHORT_MAX_AGE_S} s, expires in ${ahead} ms`,
      );
      return { id, record };
    }

    it(
      'idle past it, the session is rejected and the store has dropped it (or its expiry has passed)',
      { timeout: 30_000 },
      async () => {
        const jar = f.jar();
        const { id } = await loginShort(jar);
        await sleep(SHORT_MAX_AGE_S * 1000 + 1500); // idle past the lifetime
        const lapsed = await getSession(
          d,
          f.jar({ [COOKIE]: jar.get(COOKIE)! }),
          'GET /session after the session lapsed',
        );
        assert.equal(lapsed.authenticated, false, 'the lapsed session must be rejected');
        await assertGoneOrExpired(f.shortInspector!, id);
      },
    );

    it(
      'a request every second keeps the session alive well past it, in the app and in the store',
      { timeout: 30_000 },
      async () => {
        const jar = f.jar();
        const loggedInAt = Date.now();
        const { id, record: first } = await loginShort(jar);
        for (let k = 1; k <= 2 * SHORT_MAX_AGE_S; k++) {
          await sleep(1000);
          const s = await getSession(d, jar, `GET /session ${k} s after login`);
          const record = await f.shortInspector!.session(id);
          const state =
            `${Date.now() - loggedInAt} ms after login; ` + `${f.shortInspector!.where(id)}: ${JSON.stringify(record)}`;
          assert.equal(s.authenticated, true, `still logged in, with a request every second (${state})`);
          assert.ok(
            record.exists && record.expiresAtMs! > Date.now(),
            `the store should keep the active session (${state})`,
          );
        }
        const renewed = await f.shortInspector!.session(id);
        assert.ok(
          renewed.expiresAtMs! > first.expiresAtMs!,
          `the store's expiry should move forward with activity: ${first.expiresAtMs} -> ${renewed.expiresAtMs}`,
        );
      },
    );
  });

  it(
    'no MemoryStore warning, unhandled rejection or ' + 'ERR_HTTP_HEADERS_SENT in any app process over the whole run',
    () => {
      assert.ok(f.processes.length >= 3, `expected several app processes, got ${f.processes.length}`);
      for (const p of f.processes) {
        for (const [what, pattern] of FORBIDDEN_STDERR) {
          assert.doesNotMatch(p.stderr(), pattern, `${p.label} printed ${what}:\n${p.stderr()}`);
        }
      }
    },
  );
}
