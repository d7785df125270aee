// Steps of the store suite's outage tests: the requests checked while the store is down or hangs,
// what they must answer, and the recovery once it is back.
import assert from 'node:assert/strict';
import { PASSWORD, USER } from '../constants.ts';
import type { CookieJar, Response } from '../https-client.ts';
import { waitFor } from '../processes.ts';
import { getSession } from '../session-contract.ts';
import { FORBIDDEN_STDERR } from './cases.ts';
import type { StoreFixture } from './fixture.ts';

/** While the store is down, every request must be answered (503) within this. */
export const DOWN_ANSWER_MS = 5000;

export function outageSteps(f: StoreFixture) {
  const { direct, login } = f;

  /**
   * The requests checked during an outage, on instance `i`, each with its own answer deadline. All
   * answer 503 but the anonymous GET /session, which needs no store (visitors store nothing): 200.
   */
  function outageRequests(
    i: 0 | 1,
    jar: CookieJar,
    token: string,
    timeoutMs: number,
  ): Array<[string, () => Promise<Response>]> {
    const d = direct(i);
    const name = `instance ${'AB'[i]}:`;
    return [
      [`${name} GET /health`, () => d.get('/health', { timeoutMs })],
      [`${name} GET /session (logged in)`, () => d.get('/session', { jar: jar.clone(), timeoutMs })],
      [`${name} GET /session (no cookie)`, () => d.get('/session', { jar: f.jar(), timeoutMs })],
      [
        `${name} POST /login`,
        () =>
          d.post('/login', {
            jar: jar.clone(),
            json: { username: USER, password: PASSWORD },
            headers: { 'x-csrf-token': token },
            timeoutMs,
          }),
      ],
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
    if (!what.includes('GET /health'))
      assert.equal(typeof body?.error, 'string', `${what} should answer JSON with an error: ${res.text}`);
  }

  function assertAlive(when: string): void {
    for (const i of [0, 1] as const) {
      assert.equal(
        f.instances[i]!.exitInfo?.(),
        undefined,
        `instance ${'AB'[i]} exited ${when}:\n${f.instances[i]!.stderr()}`,
      );
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
      const fresh = f.jar();
      await login(direct(i), fresh);
      assert.equal(
        (await getSession(direct(i), fresh)).authenticated,
        true,
        `instance ${'AB'[i]}: login works again after ${what}`,
      );
      assert.equal(
        (await getSession(direct(i), jar)).authenticated,
        true,
        `instance ${'AB'[i]}: the session from before ${what} is still there`,
      );
    }
    for (const p of f.processes)
      assert.doesNotMatch(p.stderr(), FORBIDDEN_STDERR[2]![1], `${p.label}: headers sent twice:\n${p.stderr()}`);
    return recoveredMs;
  }

  return { outageRequests, assertUnavailable, assertAlive, waitHealthy, assertRecovers };
}
