// The one table of options: it drives the flags, the prompts, --help, the defaults and validation.
// Each option is defined where it belongs (a store's in stores/, a proxy's in proxies/, the session's
// here); the table puts them in the order they are resolved and asked. Flags and prompt answers
// arrive as raw strings/booleans and go through the same `parse` (resolve-options.ts).
import { parseDuration, type Duration } from './durations.js';
import { UsageError } from './errors.js';
import { asBoolean, asString, type OptionTable } from './option-def.js';
import { parsePort, validateDomain } from './domain-and-port.js';
import { PACKAGE_MANAGERS, detectPackageManager, type PackageManager } from './package-managers.js';
import { projectOption, type ProjectOptionDefs, type ProjectOptions, type SoFar } from './project-options.js';
import { PROXIES, type ProxyModule } from './proxies/index.js';
import { proxyOptions } from './proxies/options.js';
import { STORES, type StoreModule } from './stores/index.js';
import { storeOptions } from './stores/options.js';
import { pickChoice } from './choices.js';

export type { OptionDef, OptionTable, Raw, RawAnswers } from './option-def.js';
export type { ProjectOptions, ResolvedOptions, SoFar } from './project-options.js';

const SESSION_OPTIONS = {
  maxAge: projectOption<Duration>({
    flag: '--max-age <duration>',
    help: 'idle lifetime of a session and its cookie (with --no-rolling: from login): 90s, 30m, 12h, 7d, 2w',
    default: () => '30m',
    prompt: { kind: 'input', message: 'Idle session lifetime (30m, 12h, 7d)' },
    parse: (raw) => parseDuration(asString(raw), '--max-age'),
  }),
  rolling: projectOption<boolean>({
    flag: '--rolling',
    negatedHelp: 'the lifetime counts from login, whatever the activity (enforced by the server)',
    help: 'renew the lifetime on every request (an idle timeout)',
    default: () => true,
    prompt: { kind: 'confirm', message: 'Renew the lifetime on every request (idle timeout)?' },
    parse: asBoolean,
  }),
  absoluteTimeout: projectOption<Duration | null>({
    flag: '--absolute-timeout <duration|none>',
    help: 'hard limit since login, enforced by the server',
    // OWASP: 4–8 h for a working day; ASVS L1 allows up to 30 days for long idle lifetimes.
    default: ({ maxAge }) => ['8h', '30d'].find((limit) => parseDuration(limit, '').ms >= (maxAge?.ms ?? 0)) ?? 'none',
    prompt: { kind: 'input', message: 'Absolute timeout since login (8h, or none)' },
    parse: (raw, { maxAge }) => {
      if (raw === 'none') return null;
      const timeout = parseDuration(asString(raw), '--absolute-timeout');
      if (maxAge && timeout.ms < maxAge.ms) {
        throw new UsageError(
          `Invalid --absolute-timeout "${asString(raw)}": it is shorter ` +
            `than --max-age ${maxAge.text}; make it longer, or use none.`,
        );
      }
      return timeout;
    },
  }),
};

const PROJECT_OPTIONS = {
  domain: projectOption<string>({
    flag: '--domain <host>',
    help: 'public host name: the proxy config and the HTTPS redirect',
    default: () => 'example.com',
    prompt: { kind: 'input', message: 'Public host name' },
    parse: (raw) => validateDomain(asString(raw)),
  }),
  port: projectOption<number>({
    flag: '--port <n>',
    help: 'port the app listens on',
    default: () => '3000',
    prompt: { kind: 'input', message: 'Port the app listens on' },
    parse: (raw) => parsePort(asString(raw)),
  }),
  typescript: projectOption<boolean>({
    flag: '--typescript',
    negatedHelp: 'write the app in JavaScript',
    help: 'write the app in TypeScript, run by Node itself (types stripped; no build step)',
    default: () => false,
    // A yes/no question: its answer is the flag's own boolean, as --typescript or --no-typescript repeat it.
    prompt: { kind: 'confirm', message: 'Language: TypeScript instead of JavaScript?' },
    parse: asBoolean,
  }),
  pm: projectOption<PackageManager>({
    flag: '--pm <name>',
    help: 'package manager for install and next steps',
    defaultHelp: 'the one that ran this command, else npm',
    default: () => detectPackageManager(process.env.npm_config_user_agent).id,
    choices: () => PACKAGE_MANAGERS.map((p) => ({ value: p.id, label: p.id })),
    parse: (raw) => pickChoice(PACKAGE_MANAGERS, asString(raw), '--pm'),
  }),
  install: projectOption<boolean>({
    flag: '--install',
    negatedHelp: 'write the project only; install later',
    help: 'install dependencies after writing',
    default: () => true,
    prompt: { kind: 'confirm', message: 'Install dependencies now?' },
    parse: asBoolean,
  }),
  git: projectOption<boolean>({
    flag: '--git',
    negatedHelp: 'no git repository',
    help: 'git init and a first commit',
    default: () => true,
    prompt: { kind: 'confirm', message: 'Initialise a git repository?' },
    parse: asBoolean,
  }),
};

/** The table for these stores and proxy setups: the CLI's (OPTIONS), or a test's with modules of its own. */
export const optionsFor = (stores: readonly StoreModule[], proxies: readonly ProxyModule[]) =>
  ({
    ...storeOptions(stores),
    ...SESSION_OPTIONS,
    ...proxyOptions(proxies),
    ...PROJECT_OPTIONS,
  }) satisfies ProjectOptionDefs;

export const OPTIONS = optionsFor(STORES, PROXIES);

export type OptionKey = keyof ProjectOptions;

/**
 * The same table with the options stores and proxies declare for themselves, whose keys only the
 * running program knows: what loops over every option (flags, prompts, --help, --json) reads this.
 */
export const OPTION_TABLE: OptionTable<SoFar> = OPTIONS;
