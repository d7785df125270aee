// Where each benchmark leaves its figures: bench/results/<bench>.json, committed, so the README's
// performance section (npm run bench:readme) is rendered from measured runs, never typed by hand.
// Each file carries the machine, Node and date it was measured on, and a table ready to render.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

/** The benches, in the order the README shows them. */
export const BENCHES = ['generate', 'sessions', 'install', 'memory'] as const;
export type BenchName = (typeof BENCHES)[number];

export interface Machine {
  cpu: string;
  cores: number;
  ramGiB: number;
  /** The 1-minute load average when the bench began: the machine is shared. */
  load: number;
}

/** What a bench saves. `table` is what the README shows; `figures` holds the raw measurements. */
export interface BenchResults {
  bench: BenchName;
  /** The command that produced it. */
  command: string;
  /** YYYY-MM-DD. */
  date: string;
  node: string;
  machine: Machine;
  /** One line saying what was measured and how (shown above the table). */
  method: string;
  table: { columns: string[]; rows: string[][] };
  /** Lines shown under the table: what dominates, what was changed to measure it. */
  notes?: string[];
  figures: unknown;
}

export function machine(): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    ramGiB: Math.round(totalmem() / 2 ** 30),
    load: Math.round(loadavg()[0]! * 10) / 10,
  };
}

/** The measuring context of a bench that starts now (call it before measuring: the load is now's). */
export function context(
  bench: BenchName,
  command: string,
): Pick<BenchResults, 'bench' | 'command' | 'date' | 'node' | 'machine'> {
  return { bench, command, date: new Date().toISOString().slice(0, 10), node: process.version, machine: machine() };
}

export const resultsFile = (bench: BenchName): URL => new URL(`./results/${bench}.json`, import.meta.url);

export function saveResults(results: BenchResults): void {
  writeFileSync(resultsFile(results.bench), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nsaved ${resultsFile(results.bench).pathname}; npm run bench:readme puts it in README.md`);
}

export function loadResults(bench: BenchName): BenchResults | undefined {
  try {
    return JSON.parse(readFileSync(resultsFile(bench), 'utf8')) as BenchResults;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Median of numbers (the lower middle one for an even count: a figure that was measured). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

export const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** The versions of a tool on PATH, e.g. npm's, for a bench's notes. */
export const toolVersion = (tool: string): string => execFileSync(tool, ['--version'], { encoding: 'utf8' }).trim();
