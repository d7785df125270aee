// Time and peak memory of `npm install` in a freshly generated default app (sqlite), and what
// dominates it. Figures to read, not a pass/fail test. Run: npm run bench:install
//   RUNS=3 COLD=1 npm run bench:install
// Each run generates a fresh app with the built CLI (`--yes --no-install --no-git`) and installs it
// with its own npm cache: warm (filled by one unmeasured install first; npm still asks the registry
// whether each package changed) and, unless COLD=0, one run with an empty one. `--ignore-scripts`
// alternates with the full install, to show what install scripts cost. better-sqlite3 13 ships
// prebuilt binaries inside its package and declares `gypfile: false`, so npm compiles nothing; what a
// platform without a prebuild would pay, compiling it from source with npm's node-gyp, is timed once.
import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeRun, childEnv } from '../test/helpers/cli.ts';
import { generateApp, type GeneratedApp } from '../test/helpers/generated-app.ts';
import { makeTempDir } from '../test/helpers/paths.ts';
import { track } from '../test/helpers/processes.ts';
import { sampleTree, type TreePeak } from './proc-tree.ts';
import { context, median, mib, saveResults, toolVersion } from './results.ts';

const RUNS = Number(process.env.RUNS ?? 3);
const COLD = process.env.COLD !== '0';

interface Measured {
  seconds: number;
  /** The largest process's max RSS, from the kernel (GNU time's %M), in bytes: catches short-lived compilers. */
  maxProcess: number;
  peak: TreePeak;
  /** npm's "added N packages", when it says so. */
  packages?: number;
}

/** Runs `command` in `cwd` under /usr/bin/time, sampling its process tree. */
async function measure(cwd: string, command: string[]): Promise<Measured> {
  const timeFile = join(cwd, '..', 'time.txt');
  const started = process.hrtime.bigint();
  const child = track(
    spawn('/usr/bin/time', ['-f', '%M', '-o', timeFile, ...command], {
      cwd,
      env: childEnv({ CI: undefined, npm_config_loglevel: 'error', npm_config_update_notifier: 'false' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const sampler = sampleTree(child.pid!);
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peak = sampler.stop();
  if (code !== 0) throw new Error(`${command.join(' ')} exited ${code}:\n${output}`);
  const maxProcess = Number((await readFile(timeFile, 'utf8')).trim().split('\n').pop()) * 1024;
  const added = /added (\d+) packages?/.exec(output)?.[1];
  return { seconds, maxProcess, peak, ...(added && { packages: Number(added) }) };
}

const npm = (args: string[], cache: string) => ['npm', ...args, '--no-audit', '--no-fund', '--cache', cache];
// The node-gyp npm itself runs for a package that has a binding.gyp and no gypfile: false.
const NODE_GYP = join(
  realpathSync(process.env.npm_execpath ?? '/usr/bin/npm'),
  '../../node_modules/node-gyp/bin/node-gyp.js',
);

async function freshApp(): Promise<GeneratedApp> {
  const app = await generateApp([], { name: 'bench-install' });
  if (app.generate.code !== 0) throw new Error(describeRun(app.generate));
  return app;
}

/**
 * A fresh app installed with `args` (and the cache), then removed unless `keep`; `without`: a dependency
 * taken out of its package.json first.
 */
async function install(
  cache: string,
  args: string[] = [],
  { keep = false, without }: { keep?: boolean; without?: string } = {},
): Promise<Measured & { app?: GeneratedApp }> {
  const app = await freshApp();
  try {
    if (without) {
      const file = join(app.dir, 'package.json');
      const pkg = JSON.parse(await readFile(file, 'utf8')) as { dependencies: Record<string, string> };
      delete pkg.dependencies[without];
      await writeFile(file, JSON.stringify(pkg, null, 2));
    }
    const measured = await measure(app.dir, npm(['install', ...args], cache));
    if (keep) return { ...measured, app };
    return measured;
  } finally {
    if (!keep) await app.remove();
  }
}

const ctx = context('install', 'npm run bench:install');
const caches = await makeTempDir('npm-cache');
const warm = join(caches.path, 'warm');
const figures: Record<string, Measured[]> = { full: [], ignoreScripts: [], withoutSqlite: [], compile: [], cold: [] };
console.log(`node ${process.version}, npm ${toolVersion('npm')}; ${RUNS} runs; load ${ctx.machine.load}`);
try {
  await install(warm); // fills the warm cache, not measured
  for (let i = 0; i < RUNS; i++) {
    figures.full!.push(await install(warm));
    figures.ignoreScripts!.push(await install(warm, ['--ignore-scripts']));
    figures.withoutSqlite!.push(await install(warm, [], { without: 'better-sqlite3' }));
    console.log(
      `run ${i + 1}: install ${figures.full!.at(-1)!.seconds.toFixed(1)} s, --ignore-scripts ` +
        `${figures.ignoreScripts!.at(-1)!.seconds.toFixed(1)} s, without better-sqlite3 ` +
        `${figures.withoutSqlite!.at(-1)!.seconds.toFixed(1)} s`,
    );
  }
  const built = await install(warm, [], { keep: true });
  try {
    const dir = join(built.app!.dir, 'node_modules', 'better-sqlite3');
    figures.compile!.push(await measure(dir, [process.execPath, NODE_GYP, 'rebuild', '--release', '--force_build=1']));
    console.log(`better-sqlite3 compiled from source: ${figures.compile![0]!.seconds.toFixed(1)} s`);
  } finally {
    await built.app!.remove();
  }
  if (COLD) {
    const empty = join(caches.path, 'cold');
    figures.cold!.push(await install(empty));
    await rm(empty, { recursive: true, force: true });
  }
} finally {
  await caches.remove();
}

const summary = (runs: Measured[]) => ({
  seconds: median(runs.map((r) => r.seconds)),
  maxProcess: Math.max(...runs.map((r) => r.maxProcess)),
  tree: Math.max(...runs.map((r) => r.peak.tree)),
});
/** What dominates, from the figures: better-sqlite3's share, told apart from the runs' own spread. */
function installNotes(): string[] {
  const full = summary(figures.full!).seconds;
  const without = summary(figures.withoutSqlite!).seconds;
  const noise = spread(figures.full!);
  const share =
    Math.abs(full - without) <= noise
      ? `makes no difference beyond the noise (median ${full.toFixed(1)} s with it, ${without.toFixed(1)} s ` +
        `without; the full install's runs spread over ${noise.toFixed(1)} s)`
      : `accounts for ${(full - without).toFixed(1)} s of the median ${full.toFixed(1)} s`;
  return [
    `What dominates is npm's own work on the ${figures.full![0]!.packages} packages (resolving, asking the ` +
      'registry, unpacking, linking), in its own process, the largest one of the tree. better-sqlite3 ' +
      `(SQLite's source and 8 platforms' binaries in one package) ${share}, and raises the tree's peak ` +
      `by ${mib(summary(figures.full!).tree - summary(figures.withoutSqlite!).tree)}.`,
    'better-sqlite3 13 ships prebuilt binaries for 8 platforms (Linux, Linux musl, macOS, Windows; x64 and ' +
      'arm64) inside its package (27 MB unpacked) and declares `gypfile: false`: npm downloads nothing from ' +
      'GitHub and compiles nothing, so install scripts cost nothing (compare --ignore-scripts). Elsewhere ' +
      'node-gyp compiles it (SQLite included), as timed here with `node-gyp rebuild --release --force_build=1` ' +
      '(Node headers from npm_config_nodedir).',
    'A warm cache still asks the registry whether each package changed; this machine reaches only the npm registry.',
  ];
}

const spread = (runs: Measured[]) => Math.max(...runs.map((r) => r.seconds)) - Math.min(...runs.map((r) => r.seconds));
const row = (label: string, runs: Measured[]): string[] => {
  const s = summary(runs);
  return [label, `${s.seconds.toFixed(1)} s`, mib(s.tree), mib(s.maxProcess)];
};
const rows = [
  row(`npm install, warm cache (median of ${RUNS})`, figures.full!),
  row(`npm install --ignore-scripts, warm cache (median of ${RUNS})`, figures.ignoreScripts!),
  row(`npm install without better-sqlite3, warm cache (median of ${RUNS})`, figures.withoutSqlite!),
  row('better-sqlite3 compiled from source, where no prebuild fits (1 run)', figures.compile!),
  ...(COLD ? [row('npm install, empty cache (1 run)', figures.cold!)] : []),
];
console.log();
for (const r of rows)
  console.log(`${r[0]!.padEnd(70)} ${r[1]!.padStart(7)}  tree peak ${r[2]}  largest process ${r[3]}`);

saveResults({
  ...ctx,
  method:
    'npm install in a freshly generated default app (sqlite, `--yes --no-install --no-git`), each run in a new ' +
    'directory; peak memory: the summed RSS of npm and every process it started, sampled every 50 ms, and the ' +
    "largest single process's max RSS from the kernel.",
  table: { columns: ['what', 'wall time', 'peak RSS, whole tree', 'peak RSS, largest process'], rows },
  notes: installNotes(),
  figures: { npm: toolVersion('npm'), runs: RUNS, ...figures },
});
