// Resident memory of the generated app (a production process, as bench/sessions.ts starts it) after
// 10,000 distinct sessions, per store. Figures to read, not a pass/fail test. Run: npm run bench:memory
//   STORES=sqlite,memory SESSIONS=2000 CONCURRENCY=4 npm run bench:memory
//
// A session comes only from a login, and a login is one scrypt check: at the app's ln=17 (~0.3 s
// here) 10,000 would take most of an hour per store, and even ln=14, the lowest its LIMITS accept,
// managed 5 logins a second on this shared machine. So the bench lowers the generated app's
// SCRYPT_PARAMS, and LIMITS' floor with them, to ln=SCRYPT_LN (8) before the account is made: the
// account's hash is then current (no re-hash at login) and every login a cheap check. That changes
// what a login costs, not what a session holds. Successful logins give their throttle counts back,
// so one address and one account can log in 10,000 times.
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addUser, removeUser, startApp, type AppEnv, type RunningApp } from '../test/helpers/app-process.ts';
import { generateApp, installDeps } from '../test/helpers/generated-app.ts';
import { loadClient, loginGenerated } from '../test/helpers/load.ts';
import { freePort } from '../test/helpers/ports.ts';
import { sleep } from '../test/helpers/processes.ts';
import { RUN_ID, runAppName, SCRATCH_STORES } from '../test/helpers/scratch-stores.ts';
import { context, mib, saveResults } from './results.ts';

const SESSIONS = Number(process.env.SESSIONS ?? 10_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 4);
const SCRYPT_LN = Number(process.env.SCRYPT_LN ?? 8);
const ORDER = ['sqlite', 'memory', 'redis', 'postgres', 'mysql'];
const WANTED = (process.env.STORES ?? ORDER.join(',')).split(',');
const ACCOUNT = { name: 'bench', password: 'a bench password, long enough' };
const PROBE = fileURLToPath(new URL('./memory-probe.mjs', import.meta.url));
// The per-session figure is the slope between these two readings, so what the first logins load
// once (code, connections, scrypt's buffers) is not spread over the sessions.
const FIRST = Math.min(1000, Math.floor(SESSIONS / 10));

interface Usage {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
}

/** A full GC in the app, then its memoryUsage(), through the preloaded probe. */
async function usage(app: RunningApp, file: string): Promise<Usage> {
  await rm(file, { force: true });
  process.kill(app.pid, 'SIGUSR2');
  for (let i = 0; i < 100 && !existsSync(file); i++) await sleep(50);
  const { rss, heapTotal, heapUsed, external } = JSON.parse(await readFile(file, 'utf8')) as Usage;
  return { rss, heapTotal, heapUsed, external };
}

/** SCRYPT_PARAMS' ln, and LIMITS' lowest ln, set to SCRYPT_LN in the app's passwords file. */
async function lowerScrypt(file: string): Promise<void> {
  const source = await readFile(file, 'utf8');
  const patched = source
    .replace('{ ln: 17, r: 8, p: 1 }', `{ ln: ${SCRYPT_LN}, r: 8, p: 1 }`)
    .replace('{ ln: [14, 22],', `{ ln: [${SCRYPT_LN}, 22],`);
  if ((patched.match(new RegExp(`ln: \\[?${SCRYPT_LN}\\b`, 'g')) ?? []).length !== 2)
    throw new Error(`SCRYPT_PARAMS or LIMITS not found as expected in ${file}`);
  await writeFile(file, patched);
}

/** `count` logins, CONCURRENCY at a time; each gives a distinct session cookie, checked. */
async function logIn(client: ReturnType<typeof loadClient>, count: number, seen: Set<string>): Promise<void> {
  let left = count;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (left-- > 0) {
        const cookie = await loginGenerated(client, ACCOUNT.name, ACCOUNT.password);
        if (!cookie || seen.has(cookie)) throw new Error(`login gave no new session cookie: ${cookie}`);
        seen.add(cookie);
      }
    }),
  );
}

const ctx = context('memory', 'npm run bench:memory');
console.log(
  `node ${process.version}; ${SESSIONS} logins per store, ${CONCURRENCY} at a time; load ${ctx.machine.load}\n` +
    `the app runs with SCRYPT_PARAMS (and LIMITS' floor) lowered to ln=${SCRYPT_LN} from 17, ` +
    'so that this many logins fit in minutes',
);
const rows: string[][] = [];
const figures: Record<string, unknown> = {};
for (const kind of SCRATCH_STORES.filter((k) => WANTED.includes(k.id)).sort(
  (a, b) => ORDER.indexOf(a.id) - ORDER.indexOf(b.id),
)) {
  const appName = runAppName(`bench-mem-${kind.id}`);
  const store = await kind.create({ tag: `bench_mem_${kind.id}_${RUN_ID}`, appName });
  const app = await generateApp(store.flags, { name: appName });
  let running: RunningApp | undefined;
  const memory = kind.id === 'memory';
  const env: AppEnv = { SESSION_SECRET: 'b'.repeat(48), HOST: '127.0.0.1', ...store.env };
  try {
    await installDeps(app.dir);
    const passwords = join(
      app.dir,
      'src',
      existsSync(join(app.dir, 'src/passwords.ts')) ? 'passwords.ts' : 'passwords.js',
    );
    await lowerScrypt(passwords);
    // The memory store keeps accounts in the process: ALLOW_MEMORY_STORE=1 lets DEMO_USER make one there.
    if (!memory) await addUser(app.dir, env, ACCOUNT, { replace: true });
    const port = await freePort();
    const probeFile = join(app.root, 'memory.json');
    running = await startApp({
      dir: app.dir,
      port,
      nodeArgs: ['--expose-gc', '--import', PROBE],
      env: {
        ...env,
        PORT: String(port),
        MEMORY_PROBE: probeFile,
        ...(memory && { DEMO_USER: ACCOUNT.name, DEMO_PASSWORD: ACCOUNT.password }),
      },
    });
    const start = await usage(running, probeFile);
    const client = loadClient(port, CONCURRENCY);
    const seen = new Set<string>();
    const began = Date.now();
    try {
      await logIn(client, FIRST, seen);
      const first = await usage(running, probeFile);
      await logIn(client, SESSIONS - FIRST, seen);
      const end = await usage(running, probeFile);
      const seconds = (Date.now() - began) / 1000;
      const perSession = (key: keyof Usage) => (end[key] - first[key]) / (SESSIONS - FIRST);
      figures[kind.id] = { sessions: seen.size, seconds, start, [`after${FIRST}`]: first, end };
      rows.push([
        kind.id,
        `${mib(start.rss)} → ${mib(first.rss)} → ${mib(end.rss)}`,
        `${perSession('rss').toFixed(0)} B`,
        `${mib(start.heapUsed)} → ${mib(first.heapUsed)} → ${mib(end.heapUsed)}`,
        `${perSession('heapUsed').toFixed(0)} B`,
      ]);
      console.log(
        `${kind.id.padEnd(9)} rss ${mib(start.rss)} at start, ${mib(first.rss)} after ${FIRST}, ${mib(end.rss)} ` +
          `after ${seen.size} sessions (${perSession('rss').toFixed(0)} B/session); ` +
          `heapUsed ${mib(start.heapUsed)} → ` +
          `${mib(end.heapUsed)} (${perSession('heapUsed').toFixed(0)} B/session); ${seconds.toFixed(0)} s of logins`,
      );
    } finally {
      client.close();
    }
  } finally {
    await running?.stop();
    if (!memory) await removeUser(app.dir, store.env, ACCOUNT.name).catch(() => {});
    await store.remove();
    await app.remove();
  }
}

// A partial run (STORES=…, fewer SESSIONS, another SCRYPT_LN) is printed only: the README shows full runs.
if (process.env.STORES || process.env.SESSIONS || process.env.SCRYPT_LN)
  console.log('\nnot saved: a run with STORES, SESSIONS or SCRYPT_LN is an experiment');
else
  saveResults({
    ...ctx,
    method:
      `Resident memory of the production app after ${SESSIONS.toLocaleString('en')} logins, each a distinct session ` +
      `(${CONCURRENCY} at a time), read after a forced full GC; per session: the growth from the ` +
      `${FIRST.toLocaleString('en')}th ` +
      'session to the last, divided by the sessions in between.',
    table: {
      columns: [
        'store',
        `RSS: start → ${FIRST.toLocaleString('en')} → ${SESSIONS.toLocaleString('en')} sessions`,
        'RSS per session',
        'heap used: the same three',
        'heap per session',
      ],
      rows,
    },
    notes: [
      `SCRYPT_PARAMS (and the lowest ln its LIMITS accept) lowered from ln=17 to ln=${SCRYPT_LN} for this run ` +
        'only, so that the logins take minutes: it changes what a login costs, not what a session holds.',
      'Only the memory store keeps sessions in the app (its heap per session is what one costs); SQLite keeps ' +
        'them in a file, Redis, PostgreSQL and MySQL in their server. RSS grows with the logins served on every ' +
        'store, even where the heap does not: memory the allocator and V8 keep after the work, not the sessions.',
    ],
    figures,
  });
