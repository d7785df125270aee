// The store suite's tests of a store that goes away (test/e2e/stores.test.ts registers them per
// store): down, hanging or slow while the app runs, the app answers 503 (no crash, no hang) and comes
// back by itself; unreachable at start, it exits with one line naming the URL, its password masked.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { it } from 'node:test';
import { runAppToExit } from '../app-process.ts';
import { lines, STACK_LINE } from '../assertions.ts';
import { describeRun } from '../cli.ts';
import type { Response } from '../https-client.ts';
import { freePort } from '../ports.ts';
import { GiveUp, sleep, waitFor } from '../processes.ts';
import { getSession } from '../session-contract.ts';
import { startForwarder, type TcpForwarder } from '../tcp-forwarder.ts';
import { DOWN_ANSWER_MS, outageSteps } from './outage-steps.ts';
import type { StoreFixture } from './fixture.ts';

/** The generated app's deadline for one call to a server store (STORE_TIMEOUT_MS in src/store-timeout.js). */
const STORE_DEADLINE_MS = 5000;
/** While the store hangs, every request must be answered (503) within STORE_DEADLINE_MS plus this. */
const HANG_MARGIN_MS = 3000;
/** An unreachable store at start: the app must have exited within this. */
const START_FAIL_MS = 15_000;

export function outageTests(f: StoreFixture): void {
  const { storeCase, server, store, login, sid, direct, appEnv, urlEnv } = f;
  const { outageRequests, assertUnavailable, assertAlive, waitHealthy, assertRecovers } = outageSteps(f);

  const NO_SERVER = 'not applicable to sqlite: no server (a file on this machine)';

  it(
    server
      ? `store down while running: 503 with a JSON error (no crash, no hang, ` +
          `within ${DOWN_ANSWER_MS / 1000} s); recovers without a restart`
      : `store down while running — ${NO_SERVER}`,
    { skip: server ? false : NO_SERVER, timeout: 120_000 },
    async () => {
      const jar = f.jar();
      const token = await login(f.https, jar);
      let slowest = 0;
      await f.forwarder!.down();
      try {
        for (const i of [0, 1] as const) {
          /** A request that must answer within DOWN_ANSWER_MS; a hang is fatal, not retried. */
          const answer = async (what: string, request: () => Promise<Response>): Promise<Response> => {
            const t0 = Date.now();
            try {
              return await request();
            } catch (error) {
              throw new GiveUp(
                `store down: ${what} got no answer after ${Date.now() - t0} ms: ${(error as Error).message}`,
              );
            } finally {
              slowest = Math.max(slowest, Date.now() - t0);
              // the client's timeout only covers silence; this covers a body held back after the headers
              assert.ok(Date.now() - t0 <= DOWN_ANSWER_MS, `store down: ${what} took ${Date.now() - t0} ms`);
            }
          };
          const [health] = outageRequests(i, jar, token, DOWN_ANSWER_MS);
          // The store client may take a moment to notice; /health must turn 503 soon.
          await waitFor(
            `instance ${'AB'[i]}: /health to answer 503 with the store down`,
            async () => ((await answer(...health!)).status === 503 ? true : undefined),
            {
              timeoutMs: 10_000,
              intervalMs: 250,
            },
          );
          for (let round = 0; round < 2; round++) {
            for (const [what, request] of outageRequests(i, jar, token, DOWN_ANSWER_MS))
              assertUnavailable(`store down: ${what}`, await answer(what, request));
          }
        }
        assertAlive('while the store was down');
      } finally {
        await f.forwarder!.up();
      }
      const recoveredMs = await assertRecovers(jar, 'the outage');
      console.log(
        `# ${storeCase.id}: store down: slowest answer ${slowest} ms; ` +
          `/health 200 again ${recoveredMs} ms after it came back`,
      );
    },
  );

  it(
    server
      ? `store hangs (accepts, never answers): every request answers 503 within ` +
          `the app's deadline + ${HANG_MARGIN_MS / 1000} s, no crash; recovers`
      : `store hangs — ${NO_SERVER}`,
    { skip: server ? false : NO_SERVER, timeout: 120_000 },
    async () => {
      const jar = f.jar();
      const token = await login(f.https, jar);
      const deadline = STORE_DEADLINE_MS + HANG_MARGIN_MS;
      f.forwarder!.stall();
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
        const hung = results.flatMap((r, k) =>
          r.status === 'rejected' ? [`${requests[k]![0]}: ${String(r.reason?.message ?? r.reason)}`] : [],
        );
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
        assert.deepEqual(
          late,
          [],
          `store hanging: complete answers should take at most the store ` +
            `deadline (${STORE_DEADLINE_MS} ms) + ${HANG_MARGIN_MS} ms`,
        );
        times = results.map((r) => (r as PromiseFulfilledResult<{ ms: number }>).value.ms);
        console.log(
          `# ${storeCase.id}: store hanging: ${results
            .map((r) => {
              const v = (r as PromiseFulfilledResult<{ what: string; ms: number }>).value;
              return `${v.what} ${v.ms} ms`;
            })
            .join('; ')}`,
        );
        assertAlive('while the store hung');
      } finally {
        await f.forwarder!.up();
      }
      const recoveredMs = await assertRecovers(jar, 'the hang');
      console.log(
        `# ${storeCase.id}: store hanging: answers after ${Math.min(...times)}-${Math.max(...times)} ms; ` +
          `/health 200 again ${recoveredMs} ms after it came back`,
      );
    },
  );

  it(
    server
      ? 'store slow (no answer for longer than the deadline, then it ' +
          'answers): the requests in between fail, but no session is lost'
      : `store slow — ${NO_SERVER}`,
    { skip: server ? false : NO_SERVER, timeout: 120_000 },
    async () => {
      const jar = f.jar();
      await login(f.https, jar);
      const id = sid(jar);
      f.forwarder!.stall();
      let statuses: string[];
      try {
        // a logged-in user keeps using the app while the store is slow: one request on each instance
        const pending = ([0, 1] as const).map((i) =>
          direct(i)
            .get('/session', { jar: jar.clone(), timeoutMs: 4 * STORE_DEADLINE_MS })
            .then(
              (res) => `instance ${'AB'[i]}: ${res.status}`,
              (error: Error) => `instance ${'AB'[i]}: ${error.message}`,
            ),
        );
        await sleep(STORE_DEADLINE_MS + 1000); // past the app's deadline for reading the session
        f.forwarder!.resume(); // the store answers again: what the app sent meanwhile reaches it now
        statuses = await Promise.all(pending);
      } finally {
        await f.forwarder!.up();
      }
      console.log(`# ${storeCase.id}: store slow: the requests during the slowness answered ${statuses.join(', ')}`);
      assertAlive('after the store was slow');
      await waitHealthy();
      const record = await f.inspector!.session(id);
      assert.ok(
        record.exists,
        `a slow store must not lose the session: ${f.inspector!.where(id)} is ` +
          `gone (requests during the slowness: ${statuses.join(', ')})`,
      );
      assert.equal(
        (await getSession(f.https, jar)).authenticated,
        true,
        'the user should still be logged in once the store answers again',
      );
    },
  );

  it(
    server
      ? `store unreachable at start (nothing listens; or it accepts and never answers): ONE line on ` +
          `stderr naming the URL with the password masked, exit non-zero within ${START_FAIL_MS / 1000} s`
      : `an unusable ${store?.urlEnv ?? 'store path'} at start: ONE line on ` +
          `stderr naming it, exit non-zero within ${START_FAIL_MS / 1000} s`,
    { timeout: START_FAIL_MS + 15_000 },
    async () => {
      const password = `pw-${randomBytes(6).toString('hex')}`;
      const cases: Array<{ what: string; url: string; mention: string }> = [];
      let silent: TcpForwarder | undefined;
      if (server) {
        const dead = await freePort(); // nothing listens there
        cases.push({
          what: 'nothing listens',
          url: f.storeUrl({ port: dead, password }),
          mention: `127.0.0.1:${dead}`,
        });
        silent = await startForwarder({ host: '127.0.0.1', port: server.port });
        silent.stall(); // accepts connections, never answers
        cases.push({
          what: 'accepts, never answers',
          url: f.storeUrl({ port: silent.port, password }),
          mention: `127.0.0.1:${silent.port}`,
        });
      } else {
        const file = join(f.dataDir!.path, 'not-a-directory');
        await writeFile(file, 'a file where a directory should be\n');
        cases.push({ what: 'a path under a regular file', url: join(file, 'sessions.db'), mention: file });
      }
      try {
        // in parallel: each has its own deadline
        const results = await Promise.all(
          cases.map(async (c) => ({
            ...c,
            result: await runAppToExit({
              dir: f.app!.dir,
              env: appEnv(await freePort(), { [urlEnv()]: c.url }),
              timeoutMs: START_FAIL_MS + 5000,
            }),
          })),
        );
        for (const { what, mention, result } of results) {
          f.processes.push({
            label: `the app started with an unreachable store (${what})`,
            stderr: () => result.stderr,
          });
          console.log(
            `# ${storeCase.id}: store unreachable at start (${what}): exit ` +
              `${result.code} after ${result.durationMs} ms: ${result.stderr.trim()}`,
          );
          const ctx = `${what}: ${describeRun(result)}`;
          assert.ok(result.code !== 0 && result.code !== null, `the app should exit non-zero (${ctx})`);
          assert.ok(result.durationMs <= START_FAIL_MS, `the app took ${result.durationMs} ms to give up (${what})`);
          const errLines = lines(result.stderr);
          assert.equal(errLines.length, 1, `expected ONE line on stderr (${ctx})`);
          assert.doesNotMatch(result.stderr, STACK_LINE, `no stack trace (${ctx})`);
          const line = errLines[0]!;
          assert.ok(line.includes(mention), `stderr should name ${mention} (${what}): ${line}`);
          assert.ok(
            line.includes(urlEnv()),
            `stderr should name the variable to check, ${urlEnv()} (${what}): ${line}`,
          );
          assert.ok(
            !result.stderr.includes(password) && !result.stdout.includes(password),
            `the password must be masked (${what}): ${line}`,
          );
          if (server)
            assert.match(
              line,
              /:\*+@127\.0\.0\.1:/,
              `the URL should be shown with its password masked (${what}): ${line}`,
            );
        }
      } finally {
        await silent?.close();
      }
    },
  );
}
