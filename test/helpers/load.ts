// Keep-alive HTTP load against a generated app on 127.0.0.1, as its proxy would send it: clients log
// in the way the app's page does, then request one path back to back. Shared by the benchmark
// (figures) and the sustained-load tests (survival), so both put the same load on the app.
import http from 'node:http';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface LoadResult {
  requests: number;
  /** How long the measured part ran. */
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  /** Answers that were not 200 or did not match `expect`. */
  errors: number;
  /** Requests that got no answer at all (connection refused or reset): the app died or hung up. */
  failures: number;
  firstFailure?: string;
}

// The app trusts loopback as its proxy, so this header makes it treat the requests as HTTPS.
const HTTPS_VIA_PROXY = { 'x-forwarded-proto': 'https' };

export function loadClient(port: number, connections: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  function request(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          agent,
          headers: { ...HTTPS_VIA_PROXY, ...headers, ...(payload && { 'content-type': 'application/json' }) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }
  return { request, close: () => agent.destroy() };
}

export type LoadClient = ReturnType<typeof loadClient>;

/** The "name=value" of the first Set-Cookie, or of the first whose name matches `name`; `fallback` when none. */
export const cookieFrom = (headers: http.IncomingHttpHeaders, fallback = '', name?: RegExp) =>
  headers['set-cookie']
    ?.map((c) => c.split(';')[0]!)
    .find((c) => name === undefined || name.test(c.slice(0, c.indexOf('=')))) ?? fallback;

/**
 * `count` logins, one after another: the generated app's login throttle counts every attempt before
 * the password is checked, so more than ten at once from one address would get 429.
 */
export async function loginInTurn(count: number, login: () => Promise<string>): Promise<string[]> {
  const cookies: string[] = [];
  for (let i = 0; i < count; i++) cookies.push(await login());
  return cookies;
}

/**
 * Logs one client in to the generated app the way its page does: GET /session (an anonymous token and
 * its cookie, no session), then POST /login; returns the session cookie (login also clears the token's).
 */
export async function loginGenerated(client: LoadClient, username: string, password: string): Promise<string> {
  const first = await client.request('GET', '/session', {});
  const { csrfToken } = JSON.parse(first.body);
  const login = await client.request(
    'POST',
    '/login',
    { cookie: cookieFrom(first.headers), 'x-csrf-token': csrfToken },
    { username, password },
  );
  if (login.status !== 200) throw new Error(`login answered ${login.status}: ${login.body}`);
  return cookieFrom(login.headers, '', /sid$/);
}

/**
 * One client per cookie requests `path` back to back for `durationMs` (after `warmUpMs` unrecorded).
 * A request without an answer is counted, not thrown, so a dying app shows up in the result.
 */
export async function sustainLoad(
  client: LoadClient,
  {
    path,
    cookies,
    durationMs,
    warmUpMs = 0,
    expect,
    minRequests = 0,
    maxDurationMs = durationMs,
  }: {
    path: string;
    cookies: string[];
    durationMs: number;
    warmUpMs?: number;
    expect: RegExp;
    /** Go on past durationMs, up to maxDurationMs, until this many answers are in (a busy machine is slower). */
    minRequests?: number;
    maxDurationMs?: number;
  },
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const run = async (cookie: string, until: number, record: boolean, hardUntil = until) => {
    while (Date.now() < until || (record && latencies.length < minRequests && Date.now() < hardUntil)) {
      const start = process.hrtime.bigint();
      let res: HttpAnswer;
      try {
        res = await client.request('GET', path, { cookie });
      } catch (error) {
        failures++;
        firstFailure ??= (error as Error).message;
        if (failures > 100) return; // the app is gone: stop hammering a closed port
        continue;
      }
      if (!record) continue;
      latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (res.status !== 200 || !expect.test(res.body)) errors++;
    }
  };
  await Promise.all(cookies.map((c) => run(c, Date.now() + warmUpMs, false)));
  const started = Date.now();
  await Promise.all(cookies.map((c) => run(c, started + durationMs, true, started + maxDurationMs)));
  const seconds = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? NaN;
  return {
    requests: latencies.length,
    seconds,
    rps: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    errors,
    failures,
    firstFailure,
  };
}
