// Builds the commander program from the options table, so --help and the flags cannot drift apart.
import { Command, CommanderError, Option } from 'commander';
import { UsageError } from './errors.js';
import { OPTION_TABLE, type Raw, type RawAnswers } from './options.js';

export interface ParsedArgs {
  directory: string | undefined;
  /** Only what the user gave on the command line. */
  given: RawAnswers;
  yes: boolean;
  force: boolean;
  dryRun: boolean;
  json: boolean;
}

export type ArgsResult = { kind: 'run'; args: ParsedArgs } | { kind: 'exit'; code: number };

export const CLI_NAME = 'create-secure-session-app';

function buildProgram(version: string): Command {
  const program = new Command(CLI_NAME)
    .description('Create an Express app whose sessions are secure and work behind a TLS reverse proxy.')
    .version(version, '-V, --version')
    .argument('[directory]', 'where to create the project (its name becomes the package name)')
    .helpOption('-h, --help', 'show this help')
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, outputError: () => undefined });
  for (const def of Object.values(OPTION_TABLE)) {
    const choices = def.choices?.().map((c) => c.value);
    const defaultText = def.defaultHelp ?? String(def.default({}, {}));
    const help = choices ? `${def.help}: ${choices.join(' | ')}` : def.help;
    // commander derives the attribute from the flag (--store-url → storeUrl), matching the table's keys.
    program.addOption(new Option(def.flag, `${help} (default: ${defaultText})`));
    if (def.negatedHelp) program.addOption(new Option(`--no-${def.flag.slice(2)}`, def.negatedHelp));
  }
  program
    .option('-y, --yes', 'never prompt: defaults for everything no flag gave')
    .option('--force', 'allow a non-empty directory (never replaces or deletes a file we did not write)')
    .option('--dry-run', 'print what would be written; write nothing')
    .option('--json', 'print one JSON object describing the result on stdout, nothing else there');
  return program;
}

/** --help's width when stdout is no terminal, as commander defaults it: README.md shows this text. */
const PIPE_WIDTH = 80;

/** The --help text as a pipe gets it (80 columns, no colour), for README.md's usage block. */
export function helpText(): string {
  return buildProgram('')
    .configureOutput({ getOutHelpWidth: () => PIPE_WIDTH, getOutHasColors: () => false })
    .helpInformation();
}

export function parseArgs(argv: readonly string[], version: string, env: NodeJS.ProcessEnv = {}): ArgsResult {
  const program = buildProgram(version);
  const kept = flagsNpmKept(env);
  if (kept.length > 0) {
    throw new UsageError(
      `npm kept ${kept.join(', ')} for itself: npm passes on only what comes after \`--\`. ` +
        `Put \`--\` between the directory and the options: npm create ` +
        `secure-session-app@latest ${program.args[0] ?? 'my-app'} -- ${kept[0]} …`,
    );
  }
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.exitCode === 0) return { kind: 'exit', code: 0 };
    throw new UsageError(commanderMessage(error));
  }
  const values = program.opts();
  rejectContradictions(argv, values);
  const given: RawAnswers = {};
  for (const key of Object.keys(OPTION_TABLE)) {
    if (program.getOptionValueSource(key) === 'cli') given[key] = values[key] as Raw;
  }
  return {
    kind: 'run',
    args: {
      directory: program.args[0],
      given,
      yes: Boolean(values.yes),
      force: Boolean(values.force),
      dryRun: Boolean(values.dryRun),
      json: Boolean(values.json),
    },
  };
}

/** Flags that cannot both be meant: refuse rather than let the last one silently win. */
function rejectContradictions(argv: readonly string[], values: Record<string, unknown>) {
  for (const def of Object.values(OPTION_TABLE)) {
    const flag = def.flag.split(' ')[0]!;
    const negated = `--no-${flag.slice(2)}`;
    if (def.negatedHelp && argv.includes(flag) && argv.includes(negated)) {
      throw new UsageError(`${flag} and ${negated} contradict each other: pass one of them.`);
    }
  }
  if (values.dryRun) {
    for (const flag of ['--install', '--git']) {
      if (argv.includes(flag))
        throw new UsageError(`--dry-run writes nothing, so ${flag} cannot run: drop one of them.`);
    }
  }
}

// npm's own settings of the same name as ours: npm_config_proxy and the like come from anyone's
// .npmrc, so they say nothing about what was typed.
const NPM_SETTINGS = new Set(['proxy', 'git']);

/**
 * `npm create secure-session-app my-app --store redis` gives npm every flag before a `--`: npm keeps
 * `--store` (as npm_config_store in our environment) and passes `redis` on as a second directory,
 * or with `--store=redis` nothing at all. The flags npm kept, as the user typed them.
 */
function flagsNpmKept(env: NodeJS.ProcessEnv): string[] {
  if (!env.npm_config_user_agent?.startsWith('npm/')) return [];
  return Object.values(OPTION_TABLE)
    .map((def) => def.flag.split(' ')[0]!.slice(2))
    .filter((name) => !NPM_SETTINGS.has(name) && env[`npm_config_${name.replace(/-/g, '_')}`] !== undefined)
    .map((name) => `--${name}`);
}

/** commander's "error: unknown option '--sotre'\n(Did you mean --store?)" as one line with a fix. */
function commanderMessage(error: CommanderError): string {
  const text = error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return `${sentence.replace(/\.$/, '')}. Run ${CLI_NAME} --help for the options.`;
}
