// How long the CLI takes, next to Node's own start-up (`node -e 0`) and to create-vite, the generator
// people would compare it with: a generation (`--yes --no-install --no-git`), `--version` and `--help`.
// Figures to read, not a pass/fail test. Run: npm run bench:generate    (RUNS=40 for more samples)
//
// Every contender runs once per round, in turn (A B C … A B C …), and each keeps its median: on a
// shared 2-core machine a burst of load then hits all of them alike. One unmeasured round comes first,
// so every run reads files from the page cache and finds Node's compile cache filled.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { context, saveResults } from './results.ts';

const RUNS = Number(process.env.RUNS ?? 20);
const cli = fileURLToPath(new URL('../bin/create-secure-session-app.js', import.meta.url));
const createVite = createRequire(import.meta.url).resolve('create-vite/index.js');
const createViteVersion: string = createRequire(import.meta.url)('create-vite/package.json').version;
const work = mkdtempSync(path.join(tmpdir(), 'cssa-bench-'));

interface Contender {
  label: string;
  /** The arguments to Node for round `i` (a new directory each time for the generators). */
  args: (i: number) => string[];
  env?: NodeJS.ProcessEnv;
}

const generate = (i: number) => [cli, `app-${i}`, '--yes', '--no-install', '--no-git'];
const contenders: Contender[] = [
  { label: 'node -e 0', args: () => ['-e', '0'] },
  { label: 'generate --yes --no-install --no-git', args: generate },
  { label: '--version', args: () => [cli, '--version'] },
  { label: '--help', args: () => [cli, '--help'] },
  {
    label: `create-vite ${createViteVersion} --template vanilla`,
    args: (i) => [createVite, `vite-${i}`, '--template', 'vanilla', '--no-interactive'],
  },
  // A first run (or one after an upgrade) has no compile cache yet: this is what it costs then.
  {
    label: 'generate, no compile cache',
    args: (i) => generate(i).map((arg) => arg.replace(/^app-/, 'cold-')),
    env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' },
  },
];

function timeOnce(contender: Contender, i: number): number {
  const options: SpawnSyncOptions = { cwd: work, stdio: 'ignore', env: contender.env ?? process.env };
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, contender.args(i), options);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${contender.label} exited ${result.status ?? result.signal}`);
  return ms;
}

const median = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const ctx = context('generate', 'npm run bench:generate');
try {
  const samples: number[][] = contenders.map(() => []);
  for (const [i, c] of contenders.entries()) timeOnce(c, -1 - i); // warm-up, not measured
  for (let round = 0; round < RUNS; round++) {
    for (const [i, c] of contenders.entries()) samples[i]!.push(timeOnce(c, round));
  }
  const medians = samples.map(median);
  const [node, generation, , , vite] = medians as [number, number, number, number, number];
  const { cpu, cores } = ctx.machine;
  console.log(
    `node ${process.version}, ${cores} × ${cpu}, ${ctx.date}; median of ${RUNS} runs each, contenders in turn`,
  );
  const rows = contenders.map((c, i) => {
    const ms = medians[i]!;
    console.log(
      `${c.label.padEnd(40)} ${ms.toFixed(1).padStart(7)} ms  ${(ms / node).toFixed(2).padStart(5)}× node -e 0`,
    );
    return [c.label, `${ms.toFixed(1)} ms`, `${(ms / node).toFixed(2)}×`];
  });
  console.log(`generation / create-vite: ${(generation / vite).toFixed(2)}×`);
  saveResults({
    ...ctx,
    method:
      `Each contender run ${RUNS} times as a new process, all in turn after one unmeasured round; ` +
      'the median wall time of each, and its ratio to `node -e 0` on the same Node.',
    table: { columns: ['what', 'median', 'ratio to node -e 0'], rows },
    notes: [`A generation takes ${(generation / vite).toFixed(2)}× the time of create-vite's.`],
    figures: { runs: RUNS, samples: Object.fromEntries(contenders.map((c, i) => [c.label, samples[i]])) },
  });
} finally {
  rmSync(work, { recursive: true, force: true });
}
