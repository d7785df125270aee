// Session requests per second and p99 latency for each store: the generated app against a minimal
// hand-written express-session app on the same store, and against Express without sessions (the
// ceiling). Figures to read, not a pass/fail test. Run: npm run bench:sessions
//   STORES=sqlite,redis DURATION=5 ROUNDS=3 CONNECTIONS=32 npm run bench:sessions
import { execFileSync } from 'node:child_process';
import { copyFile } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { startApp, type AppEnv, type RunningApp } from '../test/helpers/app-process.ts';
import { generateApp, installDeps } from '../test/helpers/generated-app.ts';
import { freePort } from '../test/helpers/ports.ts';
import { BENCH_STORES } from './stores.ts';

const DURATION_S = Number(process.env.DURATION ?? 5);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const WANTED = (process.env.STORES ?? BENCH_STORES.map((s) => s.id).join(',')).split(',');
const SECRET = 'b'.repeat(48);
// The app trusts loopback as its proxy, so this header makes it treat the bench as HTTPS.
const HTTPS_VIA_PROXY = { 'x-forwarded-proto': 'https' };

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });

function request(port: number, method: string, path: string, headers: Record<string, string>, body?: unknown) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      { host: '127.0.0.1', port, method, path, agent, headers: { ...HTTPS_VIA_PROXY, ...headers, ...(payload && { 'content-type': 'application/json' }) } },
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

const cookieFrom = (headers: http.IncomingHttpHeaders, fallback = '') =>
  headers['set-cookie']?.[0]?.split(';')[0] ?? fallback;

/** Logs one client in to the generated app the way its page does: GET /session, then POST /login. */
async function loginGenerated(port: number): Promise<string> {
  const first = await request(port, 'GET', '/session', {});
  const { csrfToken } = JSON.parse(first.body);
  const login = await request(port, 'POST', '/login', { cookie: cookieFrom(first.headers), 'x-csrf-token': csrfToken }, { username: 'demo', password: 'bench-password' });
  if (login.status !== 200) throw new Error(`login answered ${login.status}: ${login.body}`);
  return cookieFrom(login.headers);
}

async function loginHandwritten(port: number): Promise<string> {
  return cookieFrom((await request(port, 'POST', '/login', {})).headers);
}

/** CONNECTIONS clients, each with its own session, request `path` back to back for DURATION_S. */
async function load(port: number, path: string, login: (port: number) => Promise<string>, expect: RegExp): Promise<Result> {
  const cookies = await Promise.all(Array.from({ length: CONNECTIONS }, () => login(port)));
  const latencies: number[] = [];
  let errors = 0;
  const run = async (cookie: string, until: number, record: boolean) => {
    while (Date.now() < until) {
      const start = process.hrtime.bigint();
      const res = await request(port, 'GET', path, { cookie });
      if (!record) continue;
      latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (res.status !== 200 || !expect.test(res.body)) errors++;
    }
  };
  const warmUntil = Date.now() + 1000;
  await Promise.all(cookies.map((c) => run(c, warmUntil, false)));
  const started = Date.now();
  await Promise.all(cookies.map((c) => run(c, started + DURATION_S * 1000, true)));
  const seconds = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? NaN;
  return { rps: latencies.length / seconds, p50: at(0.5), p99: at(0.99), errors };
}

interface Contender {
  label: string;
  env: AppEnv;
  entry: string;
  path: string;
  login: (port: number) => Promise<string>;
  expect: RegExp;
}

/**
 * Starts every contender once, then loads them in turn, ROUNDS times, and keeps each one's median
 * round: on a shared 2-core machine one run can be 20% off, and taking turns spreads that evenly.
 */
async function compare(dir: string, contenders: Contender[]): Promise<Result[]> {
  const running: RunningApp[] = [];
  try {
    for (const c of contenders) {
      const port = await freePort();
      running.push(await startApp({ dir, env: { ...c.env, PORT: String(port) }, entry: c.entry, port }));
    }
    const rounds: Result[][] = contenders.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, c] of contenders.entries()) rounds[i]!.push(await load(running[i]!.port, c.path, c.login, c.expect));
    }
    return rounds.map((results) => results.sort((a, b) => a.rps - b.rps)[Math.floor(results.length / 2)]!);
  } finally {
    await Promise.all(running.map((app) => app.stop()));
  }
}

const row = (label: string, r: Result, base?: Result) =>
  `${label.padEnd(28)}${r.rps.toFixed(0).padStart(8)} req/s  p50 ${r.p50.toFixed(2).padStart(6)} ms  p99 ${r.p99.toFixed(2).padStart(6)} ms` +
  `${base ? `  ${((r.rps / base.rps) * 100).toFixed(1).padStart(5)}% of hand-written` : ''}${r.errors ? `  ${r.errors} errors` : ''}`;

console.log(`node ${process.version}; ${CONNECTIONS} connections; median of ${ROUNDS} rounds of ${DURATION_S} s, each after 1 s warm-up`);
for (const store of BENCH_STORES.filter((s) => WANTED.includes(s.id))) {
  const app = await generateApp(['--store', store.id, ...store.flags]);
  try {
    await installDeps(app.dir);
    // APPLY=path/to/script.sh runs in the app dir before measuring: try a change to the app.
    if (process.env.APPLY) execFileSync('sh', [process.env.APPLY], { cwd: app.dir, stdio: 'inherit' });
    await copyFile(new URL('./baseline-app.js', import.meta.url), join(app.dir, 'baseline-app.js'));
    const env: AppEnv = { SESSION_SECRET: SECRET, DEMO_PASSWORD: 'bench-password', HOST: '127.0.0.1', BENCH_STORE: store.id, ...store.env(app.root) };
    const [ceiling, handwritten, generated] = await compare(app.dir, [
      { label: 'ceiling', env: { ...env, BASELINE: 'ceiling' }, entry: 'baseline-app.js', path: '/me', login: async () => '', expect: /false/ },
      { label: 'hand-written', env: { ...env, BASELINE: 'handwritten' }, entry: 'baseline-app.js', path: '/me', login: loginHandwritten, expect: /"authenticated":true/ },
      { label: 'generated', env, entry: 'src/server.js', path: '/session', login: loginGenerated, expect: /"authenticated":true/ },
    ]);
    console.log(`\n${store.id}`);
    console.log(row('  Express, no sessions', ceiling!));
    console.log(row('  hand-written session app', handwritten!));
    console.log(row('  generated app', generated!, handwritten));
  } finally {
    await app.remove();
  }
}
agent.destroy();
