// Every session store end to end: the real CLI generates the app with `--store <id>`, its
// dependencies are installed (cached), two instances run behind real nginx with TLS, and the store
// is checked DIRECTLY with its own client (never through the app): sessions survive restarts, logout
// and expiry really remove them, two instances share them, fifty clients never see each other's,
// and a store that goes away makes the app answer 503 (no crash, no hang) and come back by itself.
//
// Adding a store is one entry in STORE_CASES below.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import https from 'node:https';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { STORES } from '../../src/stores/index.ts';
import { addUser, removeUser, runAppToExit, startApp, type AppEnv, type RunningApp } from '../helpers/app-process.ts';
import { lines, STACK_LINE } from '../helpers/assertions.ts';
import { describeRun } from '../helpers/cli.ts';
import { COOKIE, DOMAIN, PASSWORD, USER } from '../helpers/constants.ts';
import { generateApp, installDeps, type GeneratedApp } from '../helpers/generated-app.ts';
import { client, cookieLifetimeSeconds, CookieJar, findSetCookie, type Client, type Response } from '../helpers/https-client.ts';
import { prepareNginx, startNginx, type NginxPrefix, type RunningNginx } from '../helpers/nginx.ts';
import { makeTempDir } from '../helpers/paths.ts';
import { freePort, freePorts, isListening } from '../helpers/ports.ts';
import { GiveUp, sleep, waitFor } from '../helpers/processes.ts';
import {
  mysqlInspector,
  postgresInspector,
  redisInspector,
  sessionIdFromCookie,
  sqliteInspector,
  type StoreInspector,
} from '../helpers/store-clients.ts';
import type { SecuritySetup } from '../helpers/security-setups.ts';
import { assertHostCookieAttributes, getSession, logIn, sessionIdIn } from '../helpers/session-contract.ts';
import { clearLoginCounts } from '../helpers/store-probe.ts';
import { startForwarder, type TcpForwarder } from '../helpers/tcp-forwarder.ts';
import { makeCert, type TestCert } from '../helpers/tls.ts';
import { needs, needsTools } from '../helpers/tools.ts';

const SECRET = randomBytes(24).toString('hex');
/** While the store is down, every request must be answered (503) within this. */
const DOWN_ANSWER_MS = 5000;
/** The generated app's deadline for one call to a server store (STORE_TIMEOUT_MS in src/store-timeout.js). */
const STORE_DEADLINE_MS = 5000;
/** While the store hangs, every request must be answered (503) within STORE_DEADLINE_MS plus this. */
const HANG_MARGIN_MS = 3000;
/** An unreachable store at start: the app must have exited within this. */
const START_FAIL_MS = 15_000;
/** The short-lived app's --max-age, in seconds. */
const SHORT_MAX_AGE_S = 3;
const CLIENTS = 50;
const REQUESTS_PER_CLIENT = 20;

interface StoreServer {
  name: string;
  /** On 127.0.0.1. */
  port: number;
}

interface StoreCase {
  id: string;
  /** The real server; absent for a store without one (sqlite: a file on this machine). */
  server?: StoreServer;
  /**
   * What the app is given as --store-url and in its URL variable: a file in `dataDir` (sqlite), or
   * a URL to 127.0.0.1:`port` (the forwarder's, or the real server's), with `password` when given.
   */
  url(o: { dataDir: string; port: number; password?: string }): string;
  /**
   * A client that looks at the store directly, at the sessions of the app `appName` in `appDir`;
   * `url` reaches the real server (or the file).
   */
  inspect(o: { appDir: string; appName: string; url: string }): Promise<StoreInspector>;
}

const STORE_CASES: StoreCase[] = [
  {
    id: 'sqlite',
    url: ({ dataDir }) => join(dataDir, 'sessions.db'),
    inspect: async ({ appDir, url }) => sqliteInspector(appDir, url, 'sessions'),
  },
  {
    id: 'redis',
    server: { name: 'Redis', port: 6379 },
    url: ({ port, password }) => `redis://${password === undefined ? '' : `:${password}@`}127.0.0.1:${port}`,
    // one key prefix per app (its package name), so apps sharing a Redis never see each other's sessions
    inspect: ({ url, appName }) => redisInspector(url, `${appName}:sess:`),
  },
  {
    id: 'postgres',
    server: { name: 'PostgreSQL', port: 5432 },
    url: ({ port, password }) => `postgres://postgres${password === undefined ? '' : `:${password}`}@127.0.0.1:${port}/test`,
    inspect: ({ url }) => postgresInspector(url, 'session', 'expire'),
  },
  {
    id: 'mysql',
    server: { name: 'MariaDB', port: 3306 },
    url: ({ port, password }) => `mysql://root${password === undefined ? '' : `:${password}`}@127.0.0.1:${port}/test`,
    inspect: ({ url }) => mysqlInspector(url, 'sessions'),
  },
];

/** Lines an app process must never print, over the whole run. */
const FORBIDDEN_STDERR: Array<[string, RegExp]> = [
  ['the MemoryStore warning', /MemoryStore/],
  ['an unhandled rejection', /UnhandledPromiseRejection|unhandledRejection|unhandled (promise )?rejection/i],
  ['ERR_HTTP_HEADERS_SENT', /ERR_HTTP_HEADERS_SENT|Cannot set headers after they are sent/],
];

it('every store the CLI offers (but memory) has an entry in the store suite, and every entry is a store', () => {
  const offered = STORES.map((s) => s.id).filter((id) => id !== 'memory').sort();
  assert.deepEqual(STORE_CASES.map((c) => c.id).sort(), offered, 'src/stores/index.ts and STORE_CASES in test/e2e/stores.test.ts disagree');
});

// Reachability of each server, checked once (top-level await) so the suites can be skipped or failed.
const reachable = new Map<string, boolean>();
for (const c of STORE_CASES) if (c.server) reachable.set(c.id, await isListening(c.server.port));

for (const storeCase of STORE_CASES) {
  const store = STORES.find((s) => s.id === storeCase.id);
  const server = storeCase.server;

  describe(`--store ${storeCase.id} end to end (two instances behind nginx with TLS)`, () => {
    const tools = needsTools('nginx', 'openssl');
    const serverOk = server
      ? needs(`${server.name} on 127.0.0.1:${server.port}`, reachable.get(storeCase.id) ? false : `${server.name} does not answer on 127.0.0.1:${server.port}`)
      : { skip: false as const };
    const offered = needs(`--store ${storeCase.id} in src/stores/index.ts`, store ? false : `the CLI has no --store ${storeCase.id} yet`);
    const skip = tools.skip || serverOk.skip || offered.skip;

    describe('the generated app', { skip }, () => {
      let dataDir: { path: string; remove: () => Promise<void> } | undefined;
      let app: GeneratedApp | undefined;
      let shortApp: GeneratedApp | undefined;
      let cert: TestCert | undefined;
      let site: NginxPrefix | undefined;
      let nginx: RunningNginx | undefined;
      let forwarder: TcpForwarder | undefined;
      /** The store as the app sees it, and as the --max-age 3s app does (another app name: redis keys differ). */
      let inspector: StoreInspector | undefined;
      let shortInspector: StoreInspector | undefined;
      let ports: [number, number];
      let shortPort: number;
      /** The URL (or path) the apps use: through the forwarder for a server. */
      let appStoreUrl: string;
      const instances: Array<RunningApp | undefined> = [undefined, undefined];
      /** Every app process started, for the stderr checks at the end. */
      const processes: Array<{ label: string; stderr: () => string }> = [];
      /** Every session id a cookie jar saw, deleted from the (shared) server at the end. */
      const seen = new Set<string>();
      let https_: Client;

      class Jar extends CookieJar {
        override store(setCookies: string[]): void {
          super.store(setCookies);
          const value = this.get(COOKIE);
          if (value) seen.add(sessionIdFromCookie(value));
        }

        override clone(): Jar {
          return new Jar(Object.fromEntries(this.cookies));
        }
      }

      const urlEnv = () => store!.urlEnv;

      function appEnv(port: number, overrides: AppEnv = {}): AppEnv {
        return {
          PORT: String(port),
          HOST: '127.0.0.1',
          SESSION_SECRET: SECRET,
          [urlEnv()]: appStoreUrl,
          ...overrides,
        };
      }

      async function startInstance(i: 0 | 1): Promise<RunningApp> {
        const running = await startApp({ dir: app!.dir, env: appEnv(ports[i]) });
        processes.push({ label: `instance ${i === 0 ? 'A' : 'B'} on port ${ports[i]}`, stderr: running.stderr });
        instances[i] = running;
        return running;
      }

      async function stopInstance(i: 0 | 1): Promise<void> {
        await instances[i]?.stop();
        instances[i] = undefined;
      }

      /** Straight to one instance, as nginx would send it (the app trusts loopback for X-Forwarded-Proto). */
      function direct(i: 0 | 1): Client {
        return client({ port: ports[i], hostname: DOMAIN, headers: { 'x-forwarded-proto': 'https' } });
      }

      before(
        async () => {
          const started = Date.now();
          const [a, b, c] = await freePorts(3);
          ports = [a!, b!];
          shortPort = c!;
          dataDir = await makeTempDir(`store-${storeCase.id}`);
          if (server) forwarder = await startForwarder({ host: '127.0.0.1', port: server.port });
          appStoreUrl = storeCase.url({ dataDir: dataDir.path, port: forwarder?.port ?? 0 });
          const common = ['--store', storeCase.id, '--store-url', appStoreUrl, '--domain', DOMAIN];
          app = await generateApp([...common, '--port', String(ports[0]), '--max-age', '30m']);
          shortApp = await generateApp([...common, '--port', String(shortPort), '--max-age', `${SHORT_MAX_AGE_S}s`], { name: 'short-app' });
          const install = await installDeps(app.dir);
          console.log(`# ${storeCase.id}: dependencies ${install.installed ? 'installed' : 'from cache'} in ${install.durationMs} ms (${install.cacheDir})`);
          const shortInstall = await installDeps(shortApp.dir);
          assert.equal(shortInstall.cacheDir, install.cacheDir, '--max-age must not change the dependency set');
          // The account, made with the app's own user:add (production takes no password from the
          // environment). The servers' `test` database is shared between runs: a leftover gets this password.
          await addUser(app.dir, appEnv(ports[0]), { name: USER, password: PASSWORD }, { replace: true });
          await addUser(shortApp.dir, appEnv(shortPort), { name: USER, password: PASSWORD }, { replace: true });
          cert = await makeCert(DOMAIN);
          site = await prepareNginx({ siteConfPath: join(app.dir, 'deploy', 'nginx.conf'), cert, upstreamPorts: ports });
          assert.deepEqual(site.rewrite.upstreamServers, [`127.0.0.1:${ports[0]}`], 'the generated upstream should be the app on --port');
          await startInstance(0);
          await startInstance(1);
          nginx = await startNginx(site);
          https_ = client({ port: site.httpsPort, hostname: DOMAIN, ca: cert.cert });
          const directUrl = storeCase.url({ dataDir: dataDir.path, port: server?.port ?? 0 });
          // the login throttle's counts from an earlier run (a request during an outage can leave one)
          await clearLoginCounts(storeCase.id as SecuritySetup['store'], directUrl, [app.name, shortApp.name]);
          inspector = await storeCase.inspect({ appDir: app.dir, appName: app.name, url: directUrl });
          shortInspector = await storeCase.inspect({ appDir: shortApp.dir, appName: shortApp.name, url: directUrl });
          console.log(`# ${storeCase.id}: set up in ${Date.now() - started} ms`);
        },
        { timeout: 10 * 60_000 },
      );

      after(async () => {
        await nginx?.stop();
        await Promise.all([stopInstance(0), stopInstance(1)]);
        if (app && shortApp) {
          for (const [dir, port] of [[app.dir, ports[0]], [shortApp.dir, shortPort]] as const) {
            await removeUser(dir, appEnv(port), USER).catch((error: Error) => console.log(`# ${storeCase.id}: could not remove the test account: ${error.message}`));
          }
        }
        await forwarder?.close();
        for (const i of [inspector, shortInspector]) {
          try {
            await i?.forget(seen);
          } catch (error) {
            console.log(`# ${storeCase.id}: could not clean up test sessions: ${(error as Error).message}`);
          }
          await i?.close();
        }
        if (app && shortApp && dataDir) {
          await clearLoginCounts(storeCase.id as SecuritySetup['store'], storeCase.url({ dataDir: dataDir.path, port: server?.port ?? 0 }), [app.name, shortApp.name]).catch((error: Error) =>
            console.log(`# ${storeCase.id}: could not clear the login counts: ${error.message}`),
          );
        }
        await site?.remove();
        await cert?.remove();
        await app?.remove();
        await shortApp?.remove();
        await dataDir?.remove();
      });

      // --- small steps, each asserting what it relies on ---

      const sid = (jar: CookieJar) => sessionIdIn(jar, COOKIE);

      /** Anonymous GET /session, then POST /login; returns the new session's CSRF token. */
      async function login(c: Client, jar: CookieJar): Promise<string> {
        return (await logIn(c, jar, { username: USER, password: PASSWORD })).token;
      }

      async function logout(c: Client, jar: CookieJar, token: string): Promise<void> {
        const res = await c.post('/logout', { jar, headers: { 'x-csrf-token': token } });
        assert.equal(res.status, 204, `POST /logout: ${res.status} ${res.text}`);
      }

      async function inStore(id: string): Promise<boolean> {
        return (await inspector!.session(id)).exists;
      }

      it(`${COOKIE} over HTTPS through nginx: Path=/, no Domain, HttpOnly, Secure, SameSite=Lax; stored in ${storeCase.id} from login on; logging in again gives a new id`, async () => {
        const jar = new Jar();
        const anonymousGet = await getSession(https_, jar);
        assert.equal(findSetCookie(anonymousGet.res, COOKIE), undefined, `an anonymous GET /session must not set ${COOKIE}: ${JSON.stringify(anonymousGet.res.setCookies)}`);
        const { res } = await logIn(https_, jar, { username: USER, password: PASSWORD });
        const cookie = findSetCookie(res, COOKIE);
        assert.ok(cookie, `no ${COOKIE} cookie; Set-Cookie: ${JSON.stringify(res.setCookies)}`);
        assertHostCookieAttributes(cookie);
        const lifetime = cookieLifetimeSeconds(cookie);
        assert.ok(lifetime !== undefined && Math.abs(lifetime - 30 * 60) <= 5, `lifetime should be about 1800 s: ${cookie.raw}`);

        const first = sid(jar);
        assert.ok(await inStore(first), `the logged-in session should be in the store: ${inspector!.where(first)}`);
        if (forwarder) assert.ok(forwarder.accepted > 0, 'the app should reach the store through the test forwarder');

        const before = jar.get(COOKIE)!;
        await login(https_, jar); // again, from the logged-in session
        const loggedIn = sid(jar);
        assert.notEqual(loggedIn, first, 'login must regenerate the session id (session fixation)');
        assert.equal((await getSession(https_, jar)).authenticated, true, 'the new cookie is logged in');
        assert.ok(await inStore(loggedIn), `the logged-in session should be in the store: ${inspector!.where(loggedIn)}`);
        assert.equal(await inStore(first), false, `login should delete the pre-login session from the store: ${inspector!.where(first)}`);
        assert.equal((await getSession(https_, new Jar({ [COOKIE]: before }))).authenticated, false, 'the pre-login cookie must not be logged in');
      });

      it(`logout deletes the session in ${storeCase.id} (queried directly, not through the app)`, async () => {
        const jar = new Jar();
        const token = await login(https_, jar);
        const id = sid(jar);
        const cookie = jar.get(COOKIE)!;
        assert.ok(await inStore(id), `after login: ${inspector!.where(id)} should exist`);
        await logout(https_, jar, token);
        assert.equal(await inStore(id), false, `after logout: ${inspector!.where(id)} should be gone`);
        assert.equal((await getSession(https_, new Jar({ [COOKIE]: cookie }))).authenticated, false, 'the logged-out cookie must not be logged in');
      });

      it('a session survives a restart of the app (both instances)', { timeout: 60_000 }, async () => {
        const jar = new Jar();
        const token = await login(https_, jar);
        await Promise.all([stopInstance(0), stopInstance(1)]);
        await startInstance(0);
        await startInstance(1);
        for (const i of [0, 1] as const) {
          const s = await getSession(direct(i), jar, `GET /session on instance ${'AB'[i]} after the restart`);
          assert.equal(s.authenticated, true, `instance ${'AB'[i]}: the same cookie should still be logged in after a restart`);
          assert.equal(s.token, token, 'the session data should be intact');
        }
        assert.equal((await getSession(https_, jar)).authenticated, true, 'through nginx, too');
      });

      it(`scale-out: two instances share the sessions${storeCase.id === 'sqlite' ? ' (one SQLite file, WAL, on one machine)' : ''}`, { timeout: 90_000 }, async () => {
        const jar = new Jar();
        const token = await login(https_, jar);
        for (const i of [0, 1] as const) {
          const s = await getSession(direct(i), jar, `GET /session on instance ${'AB'[i]}`);
          assert.equal(s.authenticated, true, `instance ${'AB'[i]} should see the login made through nginx`);
          assert.equal(s.token, token, `instance ${'AB'[i]} should see the same session`);
        }
        // Only one instance up at a time: nginx must send every request to it, and it must know us.
        for (const [down, up] of [[0, 1], [1, 0]] as const) {
          await stopInstance(down);
          for (let k = 0; k < 4; k++) {
            const s = await getSession(https_, jar, `GET /session through nginx with only instance ${'AB'[up]} up`);
            assert.equal(s.authenticated, true, `with only instance ${'AB'[up]} up, the session should still be logged in`);
            assert.equal(s.token, token);
          }
          await startInstance(down);
        }
        // Logout on A logs out on B (and through nginx).
        const old = sid(jar);
        const cookie = new Jar({ [COOKIE]: jar.get(COOKIE)! });
        await logout(direct(0), jar, token);
        assert.equal(await inStore(old), false, `after logout on A: ${inspector!.where(old)} should be gone`);
        assert.equal((await getSession(direct(1), cookie)).authenticated, false, 'logged out on A: B must not know the session');
        assert.equal((await getSession(https_, cookie)).authenticated, false, 'logged out on A: nginx must not find the session either');
      });

      it(`${CLIENTS} clients × ${REQUESTS_PER_CLIENT} requests through nginx across both instances: each sees only its own session, none is lost`, { timeout: 120_000 }, async () => {
        const logBefore = (await nginx!.accessLog()).length;
        const started = Date.now();
        interface Outcome { index: number; leaver: boolean; sid: string; cookie: string; token: string; requests: number }
        const runClient = async (index: number): Promise<Outcome> => {
          // keep-alive, one connection per client, like a browser tab; each from an address of its own,
          // as fifty users would be: the login throttle allows at most ten logins at once per address
          const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
          const c = client({ port: site!.httpsPort, hostname: DOMAIN, ca: cert!.cert, agent, localAddress: `127.0.1.${index + 1}` });
          const jar = new Jar();
          const leaver = index % 2 === 0;
          let requests = 0;
          const where = (what: string) => `client ${index}, request ${requests}: ${what}`;
          try {
            const first = await getSession(c, jar, where('anonymous GET /session'));
            requests++;
            assert.equal(first.authenticated, false, where('a new client is not logged in'));
            // 50 logins at once are 50 scrypt hashes at OWASP's parameters (about 0.3 s of CPU and 128 MiB
            // each) on two instances sharing this machine's cores: they queue for many seconds.
            const res = await c.post('/login', { jar, json: { username: USER, password: PASSWORD }, headers: { 'x-csrf-token': first.token }, timeoutMs: 60_000 });
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
        assert.equal(failures.length, 0, `${failures.length} of ${CLIENTS} clients failed; first ones:\n${failures.slice(0, 3).map((f) => String(f.reason?.message ?? f.reason)).join('\n')}`);
        const outcomes = results.map((r) => (r as PromiseFulfilledResult<Outcome>).value);
        const total = outcomes.reduce((n, o) => n + o.requests, 0);
        const elapsed = Date.now() - started;
        assert.equal(new Set(outcomes.map((o) => o.sid)).size, CLIENTS, 'every client should have had its own session id');
        assert.equal(new Set(outcomes.map((o) => o.token)).size, CLIENTS, 'every client should have had its own CSRF token');

        // Nothing lost: those who stayed are still logged in (and in the store), those who left are gone.
        for (const o of outcomes) {
          const s = await getSession(https_, new Jar({ [COOKIE]: o.cookie }), `client ${o.index} at the end`);
          assert.equal(s.authenticated, !o.leaver, `client ${o.index} (${o.leaver ? 'logged out' : 'stayed'}) at the end`);
          if (!o.leaver) assert.equal(s.token, o.token, `client ${o.index}: its session data at the end`);
          assert.equal(await inStore(o.sid), !o.leaver, `client ${o.index}: ${inspector!.where(o.sid)} at the end`);
        }

        // Both instances served the clients (nginx logs which upstream answered each request).
        const log = (await nginx!.accessLog()).slice(logBefore);
        const served = ports.map((p) => log.split('\n').filter((l) => l.includes(`upstream=127.0.0.1:${p}`)).length);
        console.log(`# ${storeCase.id}: ${total} requests from ${CLIENTS} clients in ${elapsed} ms; instance A served ${served[0]}, B ${served[1]}`);
        for (const [i, n] of served.entries()) assert.ok(n >= total / 10, `instance ${'AB'[i]} served only ${n} of ${total} requests`);
      });

      /**
       * The requests checked during an outage, on instance `i`, each with its own answer deadline. All
       * answer 503 but the anonymous GET /session, which needs no store (visitors store nothing): 200.
       */
      function outageRequests(i: 0 | 1, jar: CookieJar, token: string, timeoutMs: number): Array<[string, () => Promise<Response>]> {
        const d = direct(i);
        const name = `instance ${'AB'[i]}:`;
        return [
          [`${name} GET /health`, () => d.get('/health', { timeoutMs })],
          [`${name} GET /session (logged in)`, () => d.get('/session', { jar: jar.clone(), timeoutMs })],
          [`${name} GET /session (no cookie)`, () => d.get('/session', { jar: new Jar(), timeoutMs })],
          [`${name} POST /login`, () => d.post('/login', { jar: jar.clone(), json: { username: USER, password: PASSWORD }, headers: { 'x-csrf-token': token }, timeoutMs })],
        ];
      }

      /** 503, and a JSON error for everything but /health; the anonymous GET /session answers 200 without the store. */
      function assertUnavailable(what: string, res: Response): void {
        if (what.includes('GET /session (no cookie)')) {
          assert.equal(res.status, 200, `${what} needs no store and should answer 200: ${res.status} ${res.text}`);
          assert.equal((res.json as { authenticated?: unknown } | undefined)?.authenticated, false, `${what}: ${res.text}`);
          return;
        }
        assert.equal(res.status, 503, `${what} should answer 503: ${res.status} ${res.text}`);
        const body = res.json as { error?: unknown } | undefined;
        if (!what.includes('GET /health')) assert.equal(typeof body?.error, 'string', `${what} should answer JSON with an error: ${res.text}`);
      }

      function assertAlive(when: string): void {
        for (const i of [0, 1] as const) {
          assert.equal(instances[i]!.exitInfo?.(), undefined, `instance ${'AB'[i]} exited ${when}:\n${instances[i]!.stderr()}`);
        }
      }

      /** Waits (bounded) for /health 200 on both instances; returns how long it took. */
      async function waitHealthy(): Promise<number> {
        const t0 = Date.now();
        for (const i of [0, 1] as const) {
          await waitFor(
            `instance ${'AB'[i]}: /health to answer 200 again once the store is back`,
            async () => ((await direct(i).get('/health', { timeoutMs: DOWN_ANSWER_MS })).status === 200 ? true : undefined),
            { timeoutMs: 30_000, intervalMs: 250 },
          );
        }
        return Date.now() - t0;
      }

      /** Once the store is back: /health 200 on both instances (no restart), login works, `jar` is still logged in. */
      async function assertRecovers(jar: CookieJar, what: string): Promise<number> {
        const recoveredMs = await waitHealthy();
        assertAlive(`after ${what}`);
        for (const i of [0, 1] as const) {
          const fresh = new Jar();
          await login(direct(i), fresh);
          assert.equal((await getSession(direct(i), fresh)).authenticated, true, `instance ${'AB'[i]}: login works again after ${what}`);
          assert.equal((await getSession(direct(i), jar)).authenticated, true, `instance ${'AB'[i]}: the session from before ${what} is still there`);
        }
        for (const p of processes) assert.doesNotMatch(p.stderr(), FORBIDDEN_STDERR[2]![1], `${p.label}: headers sent twice:\n${p.stderr()}`);
        return recoveredMs;
      }

      const NO_SERVER = 'not applicable to sqlite: no server (a file on this machine)';

      it(
        server
          ? `store down while running: 503 with a JSON error (no crash, no hang, within ${DOWN_ANSWER_MS / 1000} s); recovers without a restart`
          : `store down while running — ${NO_SERVER}`,
        { skip: server ? false : NO_SERVER, timeout: 120_000 },
        async () => {
          const jar = new Jar();
          const token = await login(https_, jar);
          let slowest = 0;
          await forwarder!.down();
          try {
            for (const i of [0, 1] as const) {
              /** A request that must answer within DOWN_ANSWER_MS; a hang is fatal, not retried. */
              const answer = async (what: string, request: () => Promise<Response>): Promise<Response> => {
                const t0 = Date.now();
                try {
                  return await request();
                } catch (error) {
                  throw new GiveUp(`store down: ${what} got no answer after ${Date.now() - t0} ms: ${(error as Error).message}`);
                } finally {
                  slowest = Math.max(slowest, Date.now() - t0);
                  // the client's timeout only covers silence; this covers a body held back after the headers
                  assert.ok(Date.now() - t0 <= DOWN_ANSWER_MS, `store down: ${what} took ${Date.now() - t0} ms`);
                }
              };
              const [health] = outageRequests(i, jar, token, DOWN_ANSWER_MS);
              // The store client may take a moment to notice; /health must turn 503 soon.
              await waitFor(`instance ${'AB'[i]}: /health to answer 503 with the store down`, async () => ((await answer(...health!)).status === 503 ? true : undefined), {
                timeoutMs: 10_000,
                intervalMs: 250,
              });
              for (let round = 0; round < 2; round++) {
                for (const [what, request] of outageRequests(i, jar, token, DOWN_ANSWER_MS)) assertUnavailable(`store down: ${what}`, await answer(what, request));
              }
            }
            assertAlive('while the store was down');
          } finally {
            await forwarder!.up();
          }
          const recoveredMs = await assertRecovers(jar, 'the outage');
          console.log(`# ${storeCase.id}: store down: slowest answer ${slowest} ms; /health 200 again ${recoveredMs} ms after it came back`);
        },
      );

      it(
        server
          ? `store hangs (accepts, never answers): every request answers 503 within the app's deadline + ${HANG_MARGIN_MS / 1000} s, no crash; recovers`
          : `store hangs — ${NO_SERVER}`,
        { skip: server ? false : NO_SERVER, timeout: 120_000 },
        async () => {
          const jar = new Jar();
          const token = await login(https_, jar);
          const deadline = STORE_DEADLINE_MS + HANG_MARGIN_MS;
          forwarder!.stall();
          let times: number[] = [];
          try {
            // all at once, on both instances: the deadlines run in parallel
            const requests = [...outageRequests(0, jar, token, deadline), ...outageRequests(1, jar, token, deadline)];
            const results = await Promise.allSettled(
              requests.map(async ([what, request]) => {
                const t0 = Date.now();
                const res = await request();
                return { what, res, ms: Date.now() - t0 };
              }),
            );
            const hung = results.flatMap((r, k) => (r.status === 'rejected' ? [`${requests[k]![0]}: ${String(r.reason?.message ?? r.reason)}`] : []));
            assert.deepEqual(hung, [], `store hanging: requests without an answer within ${deadline} ms`);
            for (const r of results) {
              const { what, res, ms } = (r as PromiseFulfilledResult<{ what: string; res: Response; ms: number }>).value;
              assertUnavailable(`store hanging: ${what} (after ${ms} ms)`, res);
            }
            // The client's timeout only covers silence: a 503 whose body is held back counts in full.
            const late = results.flatMap((r) => {
              const { what, ms } = (r as PromiseFulfilledResult<{ what: string; ms: number }>).value;
              return ms > deadline ? [`${what}: ${ms} ms`] : [];
            });
            assert.deepEqual(late, [], `store hanging: complete answers should take at most the store deadline (${STORE_DEADLINE_MS} ms) + ${HANG_MARGIN_MS} ms`);
            times = results.map((r) => (r as PromiseFulfilledResult<{ ms: number }>).value.ms);
            console.log(`# ${storeCase.id}: store hanging: ${results.map((r) => { const v = (r as PromiseFulfilledResult<{ what: string; ms: number }>).value; return `${v.what} ${v.ms} ms`; }).join('; ')}`);
            assertAlive('while the store hung');
          } finally {
            await forwarder!.up();
          }
          const recoveredMs = await assertRecovers(jar, 'the hang');
          console.log(`# ${storeCase.id}: store hanging: answers after ${Math.min(...times)}-${Math.max(...times)} ms; /health 200 again ${recoveredMs} ms after it came back`);
        },
      );

      it(
        server
          ? 'store slow (no answer for longer than the deadline, then it answers): the requests in between fail, but no session is lost'
          : `store slow — ${NO_SERVER}`,
        { skip: server ? false : NO_SERVER, timeout: 120_000 },
        async () => {
          const jar = new Jar();
          await login(https_, jar);
          const id = sid(jar);
          forwarder!.stall();
          let statuses: string[];
          try {
            // a logged-in user keeps using the app while the store is slow: one request on each instance
            const pending = ([0, 1] as const).map((i) =>
              direct(i)
                .get('/session', { jar: jar.clone(), timeoutMs: 4 * STORE_DEADLINE_MS })
                .then((res) => `instance ${'AB'[i]}: ${res.status}`, (error: Error) => `instance ${'AB'[i]}: ${error.message}`),
            );
            await sleep(STORE_DEADLINE_MS + 1000); // past the app's deadline for reading the session
            forwarder!.resume(); // the store answers again: what the app sent meanwhile reaches it now
            statuses = await Promise.all(pending);
          } finally {
            await forwarder!.up();
          }
          console.log(`# ${storeCase.id}: store slow: the requests during the slowness answered ${statuses.join(', ')}`);
          assertAlive('after the store was slow');
          await waitHealthy();
          const record = await inspector!.session(id);
          assert.ok(record.exists, `a slow store must not lose the session: ${inspector!.where(id)} is gone (requests during the slowness: ${statuses.join(', ')})`);
          assert.equal((await getSession(https_, jar)).authenticated, true, 'the user should still be logged in once the store answers again');
        },
      );

      it(
        server
          ? `store unreachable at start (nothing listens; or it accepts and never answers): ONE line on stderr naming the URL with the password masked, exit non-zero within ${START_FAIL_MS / 1000} s`
          : `an unusable ${store?.urlEnv ?? 'store path'} at start: ONE line on stderr naming it, exit non-zero within ${START_FAIL_MS / 1000} s`,
        { timeout: START_FAIL_MS + 15_000 },
        async () => {
          const password = `pw-${randomBytes(6).toString('hex')}`;
          const cases: Array<{ what: string; url: string; mention: string }> = [];
          let silent: TcpForwarder | undefined;
          if (server) {
            const dead = await freePort(); // nothing listens there
            cases.push({ what: 'nothing listens', url: storeCase.url({ dataDir: dataDir!.path, port: dead, password }), mention: `127.0.0.1:${dead}` });
            silent = await startForwarder({ host: '127.0.0.1', port: server.port });
            silent.stall(); // accepts connections, never answers
            cases.push({ what: 'accepts, never answers', url: storeCase.url({ dataDir: dataDir!.path, port: silent.port, password }), mention: `127.0.0.1:${silent.port}` });
          } else {
            const file = join(dataDir!.path, 'not-a-directory');
            await writeFile(file, 'a file where a directory should be\n');
            cases.push({ what: 'a path under a regular file', url: join(file, 'sessions.db'), mention: file });
          }
          try {
            // in parallel: each has its own deadline
            const results = await Promise.all(
              cases.map(async (c) => ({ ...c, result: await runAppToExit({ dir: app!.dir, env: appEnv(await freePort(), { [urlEnv()]: c.url }), timeoutMs: START_FAIL_MS + 5000 }) })),
            );
            for (const { what, mention, result } of results) {
              processes.push({ label: `the app started with an unreachable store (${what})`, stderr: () => result.stderr });
              console.log(`# ${storeCase.id}: store unreachable at start (${what}): exit ${result.code} after ${result.durationMs} ms: ${result.stderr.trim()}`);
              const ctx = `${what}: ${describeRun(result)}`;
              assert.ok(result.code !== 0 && result.code !== null, `the app should exit non-zero (${ctx})`);
              assert.ok(result.durationMs <= START_FAIL_MS, `the app took ${result.durationMs} ms to give up (${what})`);
              const errLines = lines(result.stderr);
              assert.equal(errLines.length, 1, `expected ONE line on stderr (${ctx})`);
              assert.doesNotMatch(result.stderr, STACK_LINE, `no stack trace (${ctx})`);
              const line = errLines[0]!;
              assert.ok(line.includes(mention), `stderr should name ${mention} (${what}): ${line}`);
              assert.ok(line.includes(urlEnv()), `stderr should name the variable to check, ${urlEnv()} (${what}): ${line}`);
              assert.ok(!result.stderr.includes(password) && !result.stdout.includes(password), `the password must be masked (${what}): ${line}`);
              if (server) assert.match(line, /:\*+@127\.0\.0\.1:/, `the URL should be shown with its password masked (${what}): ${line}`);
            }
          } finally {
            await silent?.close();
          }
        },
      );

      describe(`expiry, with --max-age ${SHORT_MAX_AGE_S}s (rolling, the default)`, () => {
        let running: RunningApp | undefined;
        let d: Client;

        before(async () => {
          running = await startApp({ dir: shortApp!.dir, env: appEnv(shortPort) });
          processes.push({ label: `the --max-age ${SHORT_MAX_AGE_S}s app`, stderr: running.stderr });
          d = client({ port: shortPort, hostname: DOMAIN, headers: { 'x-forwarded-proto': 'https' } });
        });

        after(async () => {
          await running?.stop();
        });

        /** Logs in; checks the cookie's and the store's lifetime; returns the session id and the store's record. */
        async function loginShort(jar: CookieJar) {
          const { res } = await logIn(d, jar, { username: USER, password: PASSWORD }); // the session starts at login
          const lifetime = cookieLifetimeSeconds(findSetCookie(res, COOKIE)!);
          assert.ok(lifetime !== undefined && Math.abs(lifetime - SHORT_MAX_AGE_S) <= 1, `the cookie should live ${SHORT_MAX_AGE_S} s: ${res.setCookies.join(' | ')}`);
          const id = sid(jar);
          const loggedInAt = Date.now();
          const record = await shortInspector!.session(id);
          assert.ok(record.exists, `after login: ${shortInspector!.where(id)} should exist`);
          assert.ok(record.expiresAtMs !== undefined, `${shortInspector!.where(id)} should carry an expiry`);
          const ahead = record.expiresAtMs - loggedInAt;
          assert.ok(ahead > 0 && ahead <= SHORT_MAX_AGE_S * 1000 + 1500, `${shortInspector!.where(id)} should expire within ${SHORT_MAX_AGE_S} s, expires in ${ahead} ms`);
          return { id, record };
        }

        it('idle past it, the session is rejected and the store has dropped it (or its expiry has passed)', { timeout: 30_000 }, async () => {
          const jar = new Jar();
          const { id } = await loginShort(jar);
          await sleep(SHORT_MAX_AGE_S * 1000 + 1500); // idle past the lifetime
          const lapsed = await getSession(d, new Jar({ [COOKIE]: jar.get(COOKIE)! }), 'GET /session after the session lapsed');
          assert.equal(lapsed.authenticated, false, 'the lapsed session must be rejected');
          const record = await shortInspector!.session(id);
          assert.ok(
            !record.exists || (record.expiresAtMs !== undefined && record.expiresAtMs <= Date.now()),
            `${shortInspector!.where(id)} should be gone, or carry an expiry that has passed: ${JSON.stringify(record)}`,
          );
        });

        it('a request every second keeps the session alive well past it, in the app and in the store', { timeout: 30_000 }, async () => {
          const jar = new Jar();
          const loggedInAt = Date.now();
          const { id, record: first } = await loginShort(jar);
          for (let k = 1; k <= 2 * SHORT_MAX_AGE_S; k++) {
            await sleep(1000);
            const s = await getSession(d, jar, `GET /session ${k} s after login`);
            const record = await shortInspector!.session(id);
            const state = `${Date.now() - loggedInAt} ms after login; ${shortInspector!.where(id)}: ${JSON.stringify(record)}`;
            assert.equal(s.authenticated, true, `still logged in, with a request every second (${state})`);
            assert.ok(record.exists && record.expiresAtMs! > Date.now(), `the store should keep the active session (${state})`);
          }
          const renewed = await shortInspector!.session(id);
          assert.ok(renewed.expiresAtMs! > first.expiresAtMs!, `the store's expiry should move forward with activity: ${first.expiresAtMs} -> ${renewed.expiresAtMs}`);
        });
      });

      it('no MemoryStore warning, unhandled rejection or ERR_HTTP_HEADERS_SENT in any app process over the whole run', () => {
        assert.ok(processes.length >= 3, `expected several app processes, got ${processes.length}`);
        for (const p of processes) {
          for (const [what, pattern] of FORBIDDEN_STDERR) {
            assert.doesNotMatch(p.stderr(), pattern, `${p.label} printed ${what}:\n${p.stderr()}`);
          }
        }
      });
    });
  });
}
