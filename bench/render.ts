// The README's performance figures, rendered from bench/results/*.json: a pure function of the saved
// results, so a unit test can check that README.md shows exactly what the benches last measured.
import { BENCHES, type BenchName, type BenchResults } from './results.ts';

export const BEGIN =
  '<!-- bench:begin: rendered by `npm run bench:readme` from bench/results/*.json; edit those, not this -->';
export const END = '<!-- bench:end -->';

const TITLES: Record<BenchName, string> = {
  generate: 'Generating an app',
  sessions: 'Authenticated requests',
  install: 'Installing the generated app',
  memory: 'Memory of the generated app',
};

const cell = (text: string) => text.replace(/\|/g, '\\|');
const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;

function section(bench: BenchName, r: BenchResults | undefined): string {
  const title = `### ${TITLES[bench]}`;
  if (!r) return `${title}\n\nNot measured yet: \`npm run bench:${bench}\` saves bench/results/${bench}.json.`;
  const m = r.machine;
  return [
    title,
    '',
    `\`${r.command}\`, ${r.date}, Node ${r.node}, ${m.cpu} (${m.cores} cores, ${m.ramGiB} GiB RAM), ` +
      `load average ${m.load} at the start (a shared machine).`,
    r.method,
    '',
    line(r.table.columns),
    line(r.table.columns.map(() => '---')),
    ...r.table.rows.map(line),
    ...(r.notes?.length ? ['', ...r.notes.map((n) => `- ${n}`)] : []),
  ].join('\n');
}

/** The block between the markers, markers included. */
export function renderBlock(results: Partial<Record<BenchName, BenchResults>>): string {
  return [BEGIN, ...BENCHES.map((b) => section(b, results[b])), END].join('\n\n');
}

/** `readme` with its block replaced by `block`; throws when the markers are missing. */
export function replaceBlock(readme: string, block: string): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error('README.md has no bench:begin … bench:end block');
  return readme.slice(0, start) + block + readme.slice(end + END.length);
}

/** The block as README.md has it now. */
export function currentBlock(readme: string): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  return start < 0 || end < start ? '' : readme.slice(start, end + END.length);
}
