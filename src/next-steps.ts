import path from 'node:path';
import { OPTION_TABLE, type OptionTable, type Raw, type RawAnswers, type SoFar } from './options.js';
import type { PackageManager } from './package-managers.js';
import { redactUrl } from './stores/url.js';

export function nextSteps(dir: string, cwd: string, pm: PackageManager, installed: boolean, port: number): string[] {
  const relative = path.relative(cwd, dir);
  return [
    ...(relative === '' ? [] : [`cd ${shellQuote(relative)}`]),
    ...(installed ? [] : [pm.install]),
    `${pm.run('dev')}    # then open http://localhost:${port}`,
  ];
}

/** One line that installs what a stopped install left out: `cd my-app && npm install`. */
export function finishInstall(dir: string, cwd: string, pm: PackageManager): string {
  const relative = path.relative(cwd, dir);
  return [...(relative === '' ? [] : [`cd ${shellQuote(relative)}`]), pm.install].join(' && ');
}

export interface EquivalentCommand {
  /** One POSIX shell command line. */
  command: string;
  /** What must be set before it runs (the store URL's variable), or undefined. */
  note?: string;
}

/**
 * The command that repeats an interactive run without prompts, for CI, through the manager that
 * ran it (and `--pm` unless that is npm, the default of `npx`). A store URL with a password is
 * printed as the store's own variable ("$REDIS_URL", which the app reads too), never in clear.
 * `table` is the CLI's, or a test's (options.ts `optionsFor`).
 */
export function equivalentCommand(
  directory: string,
  answers: RawAnswers,
  { pm, store }: { pm: PackageManager; store: { kind: string; urlEnv: string } },
  table: OptionTable<SoFar> = OPTION_TABLE,
): EquivalentCommand {
  const parts = [shellQuote(directory)];
  let note: string | undefined;
  for (const key of Object.keys(table)) {
    const value = key === 'pm' ? (pm.id === 'npm' ? undefined : pm.id) : answers[key];
    if (value === undefined) continue;
    if (key === 'storeUrl' && store.kind === 'server' && typeof value === 'string' && redactUrl(value) !== value) {
      // Double quotes: the shell expands the variable and keeps its value one word, whatever it holds.
      parts.push(`--store-url "$${store.urlEnv}"`);
      note =
        `Set ${store.urlEnv} first to the --store-url given, ` +
        `${redactUrl(value)}, with its password (not printed here).`;
      continue;
    }
    parts.push(flagWords(key, value, table));
  }
  return { command: pm.create([...parts, '--yes']), note };
}

/** POSIX shell quoting: plain words as they are, anything else in single quotes. */
function shellQuote(word: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** An option as it is typed on the command line: `--port 3000`, `--no-git`. */
export function flagWords(key: string, value: Raw, table: OptionTable<SoFar> = OPTION_TABLE): string {
  const flag = table[key]!.flag.split(' ')[0]!;
  if (typeof value === 'boolean') return value ? flag : `--no-${flag.slice(2)}`;
  return `${flag} ${shellQuote(value)}`;
}
