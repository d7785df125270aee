// The redis app on a Redis Cluster (REDIS_CLUSTER_URLS) and on Sentinel (REDIS_SENTINELS and
// REDIS_SENTINEL_MASTER), servers the test starts from Debian's redis-server and redis-sentinel on free
// ports: three instances in production behind nginx with TLS keep the session contract, logout
// deletes the key on the node that holds it (read there directly), Redis expires sessions by itself,
// and fifty clients × twenty requests across the instances never see each other's sessions. The
// TypeScript app, on the same Redis, reads and ends those sessions.
// Failover is in redis-failover.test.ts.
import assert from 'node:assert/strict';
import https from 'node:https';
import { describe, it } from 'node:test';
import { appEntry, startApp } from '../helpers/app-process.ts';
import { generateApp, installDeps } from '../helpers/generated-app.ts';
import { freePort } from '../helpers/ports.ts';
import { COOKIE, DOMAIN, PASSWORD, USER } from '../helpers/constants.ts';
import { client, CookieJar } from '../helpers/https-client.ts';
import { sleep } from '../helpers/processes.ts';
import { distributedFixture, limit, SHORT_MAX_AGE_S, type TopologyKind } from '../helpers/redis-distributed.ts';
import { getSession } from '../helpers/session-contract.ts';
import { sessionIdFromCookie } from '../helpers/store-clients.ts';
import { needsTools } from '../helpers/tools.ts';

const CLIENTS = 50;
const REQUESTS_PER_CLIENT = 20;

for (const kind of ['cluster', 'sentinel'] as TopologyKind[]) {
  describe(`--store redis on a Redis ${kind}: three instances behind nginx with TLS`, () => {
    const tools = needsTools('redis-server', 'redis-sentinel', 'redis-cli', 'nginx', 'openssl');
    describe('the generated app', tools, () => {
      const f = distributedFixture(kind);

      it('logs in, keeps the session on every instance, and logout deletes the key where it lives', async () => {
        const jar = new CookieJar();
        const token = await f.login(f.https, jar);
        const key = f.sessionKey(f.app!.name, f.sid(jar));
        const ttl = await f.pttl(key);
        assert.ok(ttl > 29 * 60_000 && ttl <= 30 * 60_000, `${key}: a TTL of the cookie's 30 minutes, got ${ttl} ms`);
        for (const port of f.ports) {
          const s = await getSession(f.direct(port), jar, `GET /session on the instance on ${port}`);
          assert.equal(s.authenticated, true, `instance on ${port} should see the session`);
        }
        const node = await f.primaryFor(key);
        const old = jar.get(COOKIE)!;
        await f.logout(f.https, jar, token);
        assert.equal(await f.pttl(key), -2, `logout should delete ${key} on its primary (port ${node})`);
        const replay = await getSession(f.https, new CookieJar({ [COOKIE]: old }), 'GET /session with the old cookie');
        assert.equal(replay.authenticated, false, 'the old cookie should no longer log anyone in');
      });

      it('the TypeScript app (Node runs src/server.ts) on the same Redis and prefix shares them', async () => {
        // generated with --typescript under the same name (its key prefix), started with the same variables:
        // a session made through nginx is read, and ended, by it
        const port = await freePort();
        const flags = [
          '--typescript',
          '--store',
          'redis',
          '--domain',
          DOMAIN,
          '--port',
          String(port),
          '--max-age',
          '30m',
        ];
        const ts = await generateApp(flags, { name: f.app!.name });
        try {
          await installDeps(ts.dir);
          assert.equal(await appEntry(ts.dir), 'src/server.ts', 'Node should run the TypeScript source');
          const running = await startApp({ dir: ts.dir, env: f.appEnv(port) });
          try {
            const jar = new CookieJar();
            const token = await f.login(f.https, jar);
            const key = f.sessionKey(f.app!.name, f.sid(jar));
            const direct = f.direct(port);
            assert.equal((await getSession(direct, jar, 'GET /session on the TypeScript app')).authenticated, true);
            await f.logout(direct, jar, token);
            assert.equal(await f.pttl(key), -2, `logout on the TypeScript app should delete ${key}`);
          } finally {
            await running.stop();
          }
        } finally {
          await ts.remove();
        }
      });

      it(`Redis deletes an expired session by itself (--max-age ${SHORT_MAX_AGE_S}s)`, async () => {
        const c = f.direct(f.shortPort);
        const short = await startApp({ dir: f.shortApp!.dir, env: f.appEnv(f.shortPort) });
        try {
          const jar = new CookieJar();
          await f.login(c, jar);
          const key = f.sessionKey(f.shortApp!.name, f.sid(jar));
          assert.ok((await f.pttl(key)) > 0, `${key} should be stored with a TTL`);
          await sleep(SHORT_MAX_AGE_S * 1000 + 1500);
          assert.equal(await f.pttl(key), -2, `${key} should be gone once the session expired`);
          assert.equal((await getSession(c, jar)).authenticated, false);
        } finally {
          await short.stop();
        }
      });

      it(
        `${CLIENTS} clients × ${REQUESTS_PER_CLIENT} requests across the instances: no cross-talk, none lost`,
        {
          timeout: 300_000,
        },
        async () => {
          const logBefore = (await f.nginx!.accessLog()).length;
          const started = Date.now();
          const logins = limit(6);
          const runClient = async (index: number) => {
            // one keep-alive connection per client, each from an address of its own (the login throttle
            // allows ten logins at once per address)
            const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
            const localAddress = `127.0.1.${index + 1}`;
            const c = client({ port: f.site!.httpsPort, hostname: DOMAIN, ca: f.cert!.cert, agent, localAddress });
            const jar = new CookieJar();
            try {
              const first = await getSession(c, jar);
              // Logins take turns, a few at once: each is a scrypt hash (128 MiB, about 0.3 s of CPU), and
              // fifty at once on a busy machine outlast nginx's 60 s. The requests after them all run at once.
              const res = await logins.run(() =>
                c.post('/login', {
                  jar,
                  json: { username: USER, password: PASSWORD },
                  headers: { 'x-csrf-token': first.token },
                  timeoutMs: 60_000,
                }),
              );
              assert.equal(res.status, 200, `client ${index}: POST /login ${res.status} ${res.text}`);
              const token = (res.json as { csrfToken: string }).csrfToken;
              const cookie = jar.get(COOKIE)!;
              for (let k = 0; k < REQUESTS_PER_CLIENT - 2; k++) {
                const s = await getSession(c, jar, `client ${index}, request ${k + 2}`);
                assert.equal(s.authenticated, true, `client ${index}, request ${k + 2}: still logged in`);
                assert.equal(s.token, token, `client ${index}, request ${k + 2}: its OWN session`);
                assert.equal(jar.get(COOKIE), cookie, `client ${index}: the cookie must not change`);
              }
              return { sid: sessionIdFromCookie(cookie), token };
            } finally {
              agent.destroy();
            }
          };
          const results = await Promise.allSettled(Array.from({ length: CLIENTS }, (_, i) => runClient(i)));
          const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
          assert.equal(failed.length, 0, `${failed.length} clients failed: ${failed.slice(0, 3).map((r) => r.reason)}`);
          const outcomes = results.map((r) => (r as PromiseFulfilledResult<{ sid: string; token: string }>).value);
          assert.equal(new Set(outcomes.map((o) => o.sid)).size, CLIENTS, 'a session id of its own for each client');
          assert.equal(new Set(outcomes.map((o) => o.token)).size, CLIENTS, 'a CSRF token of its own for each client');
          const nodes = new Set<number>();
          for (const o of outcomes) {
            const key = f.sessionKey(f.app!.name, o.sid);
            assert.ok((await f.pttl(key)) > 0, `${key} should be in Redis`);
            nodes.add(await f.primaryFor(key));
          }
          if (kind === 'cluster') assert.equal(nodes.size, 3, 'the sessions should be spread over the three primaries');
          const log = (await f.nginx!.accessLog()).slice(logBefore).split('\n');
          const served = f.ports.map((p) => log.filter((l) => l.includes(`upstream=127.0.0.1:${p}`)).length);
          const total = CLIENTS * REQUESTS_PER_CLIENT;
          console.log(
            `# ${kind}: ${total} requests from ${CLIENTS} clients in ${Date.now() - started} ms; ` +
              `instances served ${served.join(', ')}; sessions on ${nodes.size} primaries`,
          );
          for (const n of served) assert.ok(n >= total / 10, `an instance served only ${n} of ${total} requests`);
        },
      );
    });
  });
}
