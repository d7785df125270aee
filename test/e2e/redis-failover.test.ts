// Failover under load: the redis app's three instances behind nginx on a Sentinel setup and on a
// cluster (test/helpers/redis-distributed.ts); the primary is killed (SIGKILL, as a crashed machine)
// while logged-in clients keep making requests. Each answer is 200 or 503 "session store unavailable",
// none later than the store's deadline, no instance crashes, and all recover without a restart. The
// figures (time to recover, sessions lost of how many) are printed for the README and the issue.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines } from '../helpers/assertions.ts';
import { sleep } from '../helpers/processes.ts';
import { distributedFixture, loginClients, type TopologyKind } from '../helpers/redis-distributed.ts';
import { needsTools } from '../helpers/tools.ts';

/** Sessions written before the failover, whose survival is counted. */
const SESSIONS = 24;
/** Of them, the clients that keep making requests through the failover. */
const ACTIVE = 12;
/** The app's store deadline (STORE_TIMEOUT_MS), and what a busy test machine may add to it. */
const DEADLINE_MS = 5000;
const SLACK_MS = 2500;
/** An answer slower than this counts as disrupted by the failover. */
const SLOW_MS = 1000;

interface Answer {
  at: number;
  status: number;
  ms: number;
}

for (const kind of ['sentinel', 'cluster'] as TopologyKind[]) {
  describe(`--store redis: a ${kind} primary fails while clients keep making requests`, () => {
    const tools = needsTools('redis-server', 'redis-sentinel', 'redis-cli', 'nginx', 'openssl');
    describe('the generated app', tools, () => {
      const f = distributedFixture(kind);

      it(
        'answers 200 or 503 within the deadline, never crashes, and recovers by itself',
        { timeout: 300_000 },
        async () => {
          const clients = await loginClients(f, SESSIONS);
          const keys = clients.map((c) => f.sessionKey(f.app!.name, c.sid));
          // The victim: the primary holding the accounts (every request reads the user's credential
          // version), so every request meets the failover; on a cluster, a third of the sessions live there too.
          const usersKey = `${f.app!.name}:users`;
          const victimPort = await f.primaryFor(usersKey);
          const onVictim = [];
          for (const key of keys) if ((await f.primaryFor(key)) === victimPort) onVictim.push(key);
          const victim = (f.cluster?.nodes ?? [f.sentinel!.primary, f.sentinel!.replica]).find(
            (n) => n.port === victimPort,
          )!;

          const answers: Answer[] = [];
          const failures: string[] = [];
          let killedAt = 0;
          let stopAt = Number.POSITIVE_INFINITY;
          const started = Date.now();
          const run = async (c: (typeof clients)[number]) => {
            while (Date.now() < stopAt && Date.now() - started < 120_000) {
              const at = Date.now();
              try {
                const res = await c.client.get('/session', { jar: c.jar, timeoutMs: 15_000 });
                answers.push({ at, status: res.status, ms: Date.now() - at });
                if (res.status === 503) assert.match(res.text, /session store unavailable/);
              } catch (error) {
                failures.push(`client ${c.index}: ${(error as Error).message}`);
              }
              await sleep(100);
            }
          };
          const running = Promise.all(clients.slice(0, ACTIVE).map(run));
          await sleep(2000);
          killedAt = Date.now();
          await victim.kill();
          // recovered: 3 s of prompt 200s after the last answer that was a 503 or slow (a command that
          // waited for the new primary)
          const disrupted = (a: Answer) => a.status !== 200 || a.ms > SLOW_MS;
          const recovered = async () => {
            for (;;) {
              await sleep(250);
              const after = answers.filter((a) => a.at >= killedAt);
              const lastBad = after.filter(disrupted).at(-1);
              const since = lastBad ? lastBad.at + lastBad.ms : killedAt;
              if (Date.now() - since > 3000 && after.some((a) => a.at > since && a.status === 200)) return since;
              if (Date.now() - killedAt > 90_000) throw new Error('the app did not recover within 90 s');
            }
          };
          const recoveredAt = await recovered().finally(() => (stopAt = Date.now()));
          await running;
          for (const c of clients) c.close();

          assert.deepEqual(failures, [], 'every request gets an answer (no reset, no hang)');
          const during = answers.filter((a) => a.at >= killedAt);
          const statuses = [...new Set(during.map((a) => a.status))].sort();
          assert.ok(
            statuses.every((s) => s === 200 || s === 503),
            `only 200 or 503 during the failover: ${statuses}`,
          );
          const longest = Math.max(...during.map((a) => a.ms));
          assert.ok(longest <= DEADLINE_MS + SLACK_MS, `an answer took ${longest} ms, beyond the store's deadline`);
          for (const [i, instance] of f.instances.entries()) {
            assert.equal(instance!.exitInfo!(), undefined, `instance ${i} must still run`);
            assert.doesNotMatch(instance!.stderr(), /unhandled|uncaught/i, `instance ${i}: an error nobody handled`);
          }

          // Survivors: each session written before the failover, asked through the app (a new request).
          let lost = 0;
          for (const c of clients) {
            const res = await f.https.get('/session', { jar: c.jar });
            assert.equal(res.status, 200, `after the failover: ${res.status} ${res.text}`);
            if (!(res.json as { authenticated: boolean }).authenticated) lost++;
          }
          const errors = during.filter((a) => a.status !== 200).length;
          const slow = during.filter((a) => a.status === 200 && a.ms > SLOW_MS).length;
          const recoverMs = recoveredAt - killedAt;
          const figures =
            `${kind} failover: recovered ${recoverMs} ms after the primary was killed; ${errors} of ` +
            `${during.length} requests meanwhile answered 503 and ${slow} waited over ${SLOW_MS} ms ` +
            `(longest ${longest} ms); ` +
            `sessions lost: ${lost} of ${SESSIONS} (${onVictim.length} of them on the killed primary)`;
          console.log(`# ${figures}`);
          // the store's own lines (the 503s' causes are logged too, with their stacks)
          const logged = f.instances.flatMap((i) => [...lines(i!.stdout()), ...lines(i!.stderr())]);
          console.log(
            `# ${kind}: the instances logged: ${JSON.stringify(logged.filter((l) => l.startsWith('session store')))}`,
          );
          assert.ok(recoverMs < 60_000, figures);
        },
      );
    });
  });
}
