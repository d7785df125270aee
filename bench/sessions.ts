// Session requests per second and p99 latency for each store: the generated app against a minimal
// hand-written express-session app on the same store, and against Express without sessions (the
// ceiling). Figures to read, not a pass/fail test. Run: npm run bench:sessions
//   STORES=sqlite,redis DURATION=5 ROUNDS=3 CONNECTIONS=32 npm run bench:sessions
import { execFileSync } from 'node:child_process';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { addUser, removeUser, startApp, type AppEnv, type RunningApp } from '../test/helpers/app-process.ts';
import { generateApp, installDeps } from '../test/helpers/generated-app.ts';
import {
  cookieFrom,
  loadClient,
  loginGenerated,
  loginInTurn,
  sustainLoad,
  type LoadClient,
  type LoadResult,
} from '../test/helpers/load.ts';
import { freePort } from '../test/helpers/ports.ts';
import { context, saveResults } from './results.ts';
import { BENCH_STORES } from './stores.ts';

const DURATION_S = Number(process.env.DURATION ?? 5);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const WANTED = (process.env.STORES ?? BENCH_STORES.map((s) => s.id).join(',')).split(',');
const SECRET = 'b'.repeat(48);

type Result = LoadResult;

/** CONNECTIONS clients, each with its own session, request `path` back to back for DURATION_S. */
async function load(
  port: number,
  path: string,
  login: (client: LoadClient) => Promise<string>,
  expect: RegExp,
): Promise<Result> {
  const client = loadClient(port, CONNECTIONS);
  try {
    const cookies = await loginInTurn(CONNECTIONS, () => login(client));
    return await sustainLoad(client, { path, cookies, durationMs: DURATION_S * 1000, warmUpMs: 1000, expect });
  } finally {
    client.close();
  }
}

const BENCH_ACCOUNT = { name: 'bench', password: 'a bench password, long enough' };
const loginHandwritten = async (client: LoadClient) => cookieFrom((await client.request('POST', '/login', {})).headers);

interface Contender {
  label: string;
  env: AppEnv;
  entry: string;
  path: string;
  login: (client: LoadClient) => Promise<string>;
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
      for (const [i, c] of contenders.entries())
        rounds[i]!.push(await load(running[i]!.port, c.path, c.login, c.expect));
    }
    return rounds.map((results) => results.sort((a, b) => a.rps - b.rps)[Math.floor(results.length / 2)]!);
  } finally {
    await Promise.all(running.map((app) => app.stop()));
  }
}

const row = (label: string, r: Result, base?: Result) =>
  `${label.padEnd(28)}${r.rps.toFixed(0).padStart(8)} req/s  p50 ` +
  `${r.p50.toFixed(2).padStart(6)} ms  p99 ${r.p99.toFixed(2).padStart(6)} ms` +
  (base
    ? `  ${((r.rps / base.rps) * 100).toFixed(1).padStart(5)}% of hand-written, p99 ${(r.p99 / base.p99).toFixed(2)}×`
    : '') +
  (r.errors + r.failures ? `  ${r.errors + r.failures} errors` : '');

const ctx = context('sessions', 'npm run bench:sessions');
const method =
  `${CONNECTIONS} keep-alive clients, each logged in with its own session, send the authenticated GET that touches ` +
  `the session back to back; each contender's median of ${ROUNDS} rounds of ${DURATION_S} s (after 1 s warm-up), ` +
  'the contenders taking turns.';
const figure = (r: Result) => `${r.rps.toFixed(0)} req/s, p99 ${r.p99.toFixed(1)} ms`;
const rows: string[][] = [];
const figures: Record<string, Record<string, Result>> = {};
console.log(
  `node ${process.version}; ${CONNECTIONS} connections; median of ` +
    `${ROUNDS} rounds of ${DURATION_S} s, each after 1 s warm-up; load ${ctx.machine.load}`,
);
for (const store of BENCH_STORES.filter((s) => WANTED.includes(s.id))) {
  const app = await generateApp(['--store', store.id, ...store.flags]);
  try {
    await installDeps(app.dir);
    // APPLY=path/to/script.sh runs in the app dir before measuring: try a change to the app.
    if (process.env.APPLY) execFileSync('sh', [process.env.APPLY], { cwd: app.dir, stdio: 'inherit' });
    await copyFile(new URL('./baseline-app.js', import.meta.url), join(app.dir, 'baseline-app.js'));
    const env: AppEnv = { SESSION_SECRET: SECRET, HOST: '127.0.0.1', BENCH_STORE: store.id, ...store.env(app.root) };
    // The account, made with the app's own user:add (production takes no password from the environment);
    // the servers' `test` database is shared, so a leftover gets this password, and it is removed after.
    await addUser(app.dir, env, BENCH_ACCOUNT, { replace: true });
    const [ceiling, handwritten, generated] = await compare(app.dir, [
      {
        label: 'ceiling',
        env: { ...env, BASELINE: 'ceiling' },
        entry: 'baseline-app.js',
        path: '/me',
        login: async () => '',
        expect: /false/,
      },
      {
        label: 'hand-written',
        env: { ...env, BASELINE: 'handwritten' },
        entry: 'baseline-app.js',
        path: '/me',
        login: loginHandwritten,
        expect: /"authenticated":true/,
      },
      {
        label: 'generated',
        env,
        entry: 'src/server.js',
        path: '/session',
        login: (client) => loginGenerated(client, BENCH_ACCOUNT.name, BENCH_ACCOUNT.password),
        expect: /"authenticated":true/,
      },
    ]);
    console.log(`\n${store.id}`);
    console.log(row('  Express, no sessions', ceiling!));
    console.log(row('  hand-written session app', handwritten!));
    console.log(row('  generated app', generated!, handwritten));
    figures[store.id] = { ceiling: ceiling!, handwritten: handwritten!, generated: generated! };
    rows.push([
      store.id,
      figure(ceiling!),
      figure(handwritten!),
      figure(generated!),
      `${((generated!.rps / handwritten!.rps) * 100).toFixed(1)} %`,
      `${(generated!.p99 / handwritten!.p99).toFixed(2)}×`,
    ]);
  } finally {
    await removeUser(app.dir, { ...store.env(app.root) }, BENCH_ACCOUNT.name).catch(() => {});
    await app.remove();
  }
}

// A partial run (STORES=…, an APPLY experiment) is printed only: the README shows full, unchanged runs.
if (process.env.APPLY || process.env.STORES) console.log('\nnot saved: a run with STORES or APPLY is an experiment');
else
  saveResults({
    ...ctx,
    method,
    table: {
      columns: [
        'store',
        'no sessions',
        'hand-written',
        'generated app',
        'throughput, generated / hand-written',
        'p99, generated / hand-written',
      ],
      rows,
    },
    figures,
  });
