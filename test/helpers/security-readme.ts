// README.md's "Security properties" block, rendered from the tables (security-properties.ts, whose
// readmeBlock() gives it and which prints it when run; security-setups.ts), and the markers around it.
import type { SecurityProperty } from './security-properties/property.ts';
import { jsTwins, languageOf, runsRow, type JsSetupId, type SecuritySetup } from './security-setups.ts';

/** The test's name, under each setup's describe: `#<n> <test>`. */
export function propertyTestName(p: SecurityProperty): string {
  return `#${p.n} ${p.test}`;
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|');

/**
 * The README's table: one line per property, with every setup it runs on, the TypeScript ones included
 * (a JavaScript setup marked * is tested differently: see the notes).
 */
function readmeTable(properties: readonly SecurityProperty[], setups: readonly SecuritySetup[]): string {
  const setupsCell = (p: SecurityProperty) => {
    const on = setups.filter((s) => runsRow(p.setups, s));
    if (on.length === setups.length) return 'all';
    const noted = (s: SecuritySetup) => languageOf(s) === 'javascript' && p.notes?.[s.id as JsSetupId];
    return on.map((s) => `${s.id}${noted(s) ? '*' : ''}`).join(', ');
  };
  return [
    '| # | property | setups | test |',
    '| --- | --- | --- | --- |',
    ...properties.map(
      (p) => `| ${p.n} | ${escapeCell(p.property)} | ${setupsCell(p)} | \`${escapeCell(propertyTestName(p))}\` |`,
    ),
  ].join('\n');
}

/** The README's notes on the setups marked * in the table. */
function readmeNotes(properties: readonly SecurityProperty[]): string {
  return properties
    .flatMap((p) => Object.entries(p.notes ?? {}).map(([s, note]) => `- #${p.n} on ${s}: ${note}`))
    .join('\n');
}

/** The README's list of setups, with the file that runs each and, for a TypeScript one, whose rows it runs. */
function readmeSetups(setups: readonly SecuritySetup[]): string {
  const rowsOf = (s: SecuritySetup) => {
    if (languageOf(s) === 'javascript') return '';
    const twins = jsTwins(s);
    return twins.length === 1
      ? `; every row of ${twins[0]}`
      : `; the rows that run on both ${twins.slice(0, -1).join(', ')} and ${twins.at(-1)}`;
  };
  return setups.map((s) => `- \`${s.id}\` in test/e2e/${s.file}: ${s.how}${rowsOf(s)}`).join('\n');
}

export const README_START =
  '<!-- security-properties: generated from ' +
  'test/helpers/security-properties.ts; test/e2e/security.test.ts checks it -->';
export const README_END = '<!-- /security-properties -->';

/** What README.md holds between README_START and README_END for these tables, exactly. */
export function renderReadmeBlock(properties: readonly SecurityProperty[], setups: readonly SecuritySetup[]): string {
  return [
    'Setups (each one its own describe block, "security properties, <setup>: …"). A `ts:` setup is the ' +
      'app generated with `--typescript`; it runs each row that runs on every JavaScript setup named after ' +
      'it, checked the same way (their notes hold for it too), so a new row needs no TypeScript edit:',
    '',
    readmeSetups(setups),
    '',
    readmeTable(properties, setups),
    '',
    '\\* Tested differently on that setup:',
    '',
    readmeNotes(properties),
  ].join('\n');
}
