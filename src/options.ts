// The one table of options: it drives the flags, the prompts, --help, the defaults and validation.
// Flags and prompt answers arrive as raw strings/booleans and go through the same `parse`.
import { parseDuration, type Duration } from './durations.js';
import { UsageError } from './errors.js';
import { parsePort, validateDomain } from './domain-and-port.js';
import { PACKAGE_MANAGERS, detectPackageManager, type PackageManager } from './package-managers.js';
import { PROXIES, type ProxyModule } from './proxies/index.js';
import { STORES, type StoreModule } from './stores/index.js';
import { redactUrl } from './stores/url.js';
import { pickChoice } from './choices.js';
import { MAX_TRUST_PROXY_HOPS, parseTrustProxy } from './trust-proxy.js';

export type Raw = string | boolean;
export type RawAnswers = Record<string, Raw | undefined>;

export interface OptionDef<T> {
  /** `--store <name>`; a boolean flag has no `<value>`; a negatable one also gets `--no-…`. */
  flag: string;
  /** Help for the `--no-…` form of a negatable flag. */
  negatedHelp?: string;
  help: string;
  /** How --help describes the default when it depends on the run. */
  defaultHelp?: string;
  /**
   * Shown in --help and used when neither a flag nor an answer gave a value; undefined when the
   * option does not apply to the choices so far (--trust-proxy without --proxy custom).
   */
  default: (soFar: RawAnswers) => Raw | undefined;
  choices?: (soFar: RawAnswers) => readonly { value: string; label: string }[];
  /** How to ask for it interactively; no prompt means the option is a flag only. */
  prompt?: { kind: 'input' | 'select' | 'confirm'; message: string; when?: (soFar: RawAnswers) => boolean };
  /** `raw` is undefined only where `default` gave undefined: the option does not apply. */
  parse: (raw: Raw | undefined, soFar: RawAnswers) => T;
}

const option = <T>(def: OptionDef<T>): OptionDef<T> => def;
const asString = (raw: Raw | undefined): string => (raw === undefined ? '' : String(raw));
const asBoolean = (raw: Raw | undefined): boolean => raw === true || raw === 'true';
const maxAgeOf = (soFar: RawAnswers): Duration => parseDuration(String(soFar.maxAge ?? '30m'), '--max-age');
const fits = (limit: string, soFar: RawAnswers): boolean => {
  try {
    return parseDuration(limit, '').ms >= maxAgeOf(soFar).ms;
  } catch {
    return true; // an invalid --max-age is reported by its own parse
  }
};
const storeOf = (soFar: RawAnswers): StoreModule =>
  pickChoice(STORES, String(soFar.store ?? STORES[0]!.id), '--store');
const proxyOf = (soFar: RawAnswers): ProxyModule =>
  pickChoice(PROXIES, String(soFar.proxy ?? PROXIES[0]!.id), '--proxy');
/** The setups whose trusted proxy the user names with --trust-proxy ("--proxy custom"). */
const trustProxySetups = (): string => PROXIES.filter((p) => p.takesTrustProxy).map((p) => `--proxy ${p.id}`).join(' or ');

export const OPTIONS = {
  store: option<StoreModule>({
    flag: '--store <name>',
    help: 'session store',
    default: () => STORES[0]!.id,
    choices: () => STORES.map((s) => ({ value: s.id, label: s.label })),
    prompt: { kind: 'select', message: 'Session store' },
    parse: (raw) => pickChoice(STORES, asString(raw), '--store'),
  }),
  storeUrl: option<string>({
    flag: '--store-url <url|path>',
    help: 'where the store lives (sqlite: a file path; servers: a URL)',
    defaultHelp: `${STORES.filter((s) => s.defaultUrl).map((s) => `${s.id}: ${s.defaultUrl}`).join(', ')}`,
    default: (soFar) => storeOf(soFar).defaultUrl,
    prompt: { kind: 'input', message: 'Store location', when: (soFar) => storeOf(soFar).urlEnv !== '' },
    parse: (raw, soFar) => {
      const url = asString(raw);
      const store = storeOf(soFar);
      const problem = store.validateUrl(url);
      // Named with its password masked (this line can end up in CI logs) and quoted as JSON, so a
      // newline in it cannot break the one-line message.
      if (problem) throw new UsageError(`Invalid --store-url ${JSON.stringify(redactUrl(url))}: ${problem}; ${store.urlHint}.`);
      return url;
    },
  }),
  maxAge: option<Duration>({
    flag: '--max-age <duration>',
    help: 'idle lifetime of a session and its cookie (with --no-rolling: from login): 90s, 30m, 12h, 7d, 2w',
    default: () => '30m',
    prompt: { kind: 'input', message: 'Idle session lifetime (30m, 12h, 7d)' },
    parse: (raw) => parseDuration(asString(raw), '--max-age'),
  }),
  rolling: option<boolean>({
    flag: '--rolling',
    negatedHelp: 'the lifetime counts from login, whatever the activity (enforced by the server)',
    help: 'renew the lifetime on every request (an idle timeout)',
    default: () => true,
    prompt: { kind: 'confirm', message: 'Renew the lifetime on every request (idle timeout)?' },
    parse: asBoolean,
  }),
  absoluteTimeout: option<Duration | null>({
    flag: '--absolute-timeout <duration|none>',
    help: 'hard limit since login, enforced by the server',
    // OWASP: 4–8 h for a working day; ASVS L1 allows up to 30 days for long idle lifetimes.
    default: (soFar) => ['8h', '30d'].find((limit) => fits(limit, soFar)) ?? 'none',
    prompt: { kind: 'input', message: 'Absolute timeout since login (8h, or none)' },
    parse: (raw, soFar) => {
      if (raw === 'none') return null;
      const timeout = parseDuration(asString(raw), '--absolute-timeout');
      const maxAge = maxAgeOf(soFar);
      if (timeout.ms < maxAge.ms) {
        throw new UsageError(
          `Invalid --absolute-timeout "${asString(raw)}": it is shorter than --max-age ${maxAge.text}; make it longer, or use none.`,
        );
      }
      return timeout;
    },
  }),
  proxy: option<ProxyModule>({
    flag: '--proxy <setup>',
    help: 'what stands in front of the app',
    defaultHelp: `${PROXIES[0]!.id}; ${PROXIES.find((p) => p.takesTrustProxy)?.id ?? PROXIES[0]!.id} when --trust-proxy is given`,
    // --trust-proxy alone says the proxy is one only the user knows.
    default: (soFar) => (soFar.trustProxy !== undefined ? PROXIES.find((p) => p.takesTrustProxy)?.id : undefined) ?? PROXIES[0]!.id,
    choices: () => PROXIES.map((p) => ({ value: p.id, label: p.label })),
    prompt: { kind: 'select', message: 'Reverse proxy' },
    parse: (raw) => pickChoice(PROXIES, asString(raw), '--proxy'),
  }),
  trustProxy: option<string>({
    flag: '--trust-proxy <hops|loopback|ip,cidr,…>',
    help: `who may set X-Forwarded-* for the app, with ${trustProxySetups()} only: a hop count up to ${MAX_TRUST_PROXY_HOPS}, loopback, linklocal, uniquelocal, or IPs/CIDRs`,
    defaultHelp: PROXIES.filter((p) => p.takesTrustProxy).map((p) => p.trustProxy).join(', '),
    default: (soFar) => (proxyOf(soFar).takesTrustProxy ? proxyOf(soFar).trustProxy : undefined),
    prompt: {
      kind: 'input',
      message: 'Trusted proxy (hop count, loopback, uniquelocal, or IPs/CIDRs)',
      when: (soFar) => proxyOf(soFar).takesTrustProxy,
    },
    // Every other setup knows its proxy (nginx: loopback; paas: 1 hop; none: nobody), so a value
    // given with it contradicts it; the result is always the app's default TRUST_PROXY.
    parse: (raw, soFar) => {
      const proxy = proxyOf(soFar);
      if (proxy.takesTrustProxy) return parseTrustProxy(asString(raw));
      if (raw !== undefined) {
        throw new UsageError(
          `--trust-proxy only applies to ${trustProxySetups()}: --proxy ${proxy.id} trusts ${proxy.trustProxy === 'false' ? 'no proxy' : proxy.trustProxy}; drop --trust-proxy, or use ${trustProxySetups()}.`,
        );
      }
      return proxy.trustProxy;
    },
  }),
  domain: option<string>({
    flag: '--domain <host>',
    help: 'public host name: the proxy config and the HTTPS redirect',
    default: () => 'example.com',
    prompt: { kind: 'input', message: 'Public host name' },
    parse: (raw) => validateDomain(asString(raw)),
  }),
  port: option<number>({
    flag: '--port <n>',
    help: 'port the app listens on',
    default: () => '3000',
    prompt: { kind: 'input', message: 'Port the app listens on' },
    parse: (raw) => parsePort(asString(raw)),
  }),
  pm: option<PackageManager>({
    flag: '--pm <name>',
    help: 'package manager for install and next steps',
    defaultHelp: 'the one that ran this command, else npm',
    default: () => detectPackageManager(process.env.npm_config_user_agent).id,
    choices: () => PACKAGE_MANAGERS.map((p) => ({ value: p.id, label: p.id })),
    parse: (raw) => pickChoice(PACKAGE_MANAGERS, asString(raw), '--pm'),
  }),
  install: option<boolean>({
    flag: '--install',
    negatedHelp: 'write the project only; install later',
    help: 'install dependencies after writing',
    default: () => true,
    prompt: { kind: 'confirm', message: 'Install dependencies now?' },
    parse: asBoolean,
  }),
  git: option<boolean>({
    flag: '--git',
    negatedHelp: 'no git repository',
    help: 'git init and a first commit',
    default: () => true,
    prompt: { kind: 'confirm', message: 'Initialise a git repository?' },
    parse: asBoolean,
  }),
} satisfies Record<string, OptionDef<unknown>>;

export type OptionKey = keyof typeof OPTIONS;
export type ProjectOptions = { [K in OptionKey]: ReturnType<(typeof OPTIONS)[K]['parse']> };

/**
 * Validates raw values in table order, so later options can depend on earlier ones. A value is
 * undefined only for an option that does not apply (its default gave undefined).
 */
export function parseOptions(raw: Record<OptionKey, Raw | undefined>): ProjectOptions {
  const parsed: Partial<Record<OptionKey, unknown>> = {};
  for (const key of Object.keys(OPTIONS) as OptionKey[]) {
    parsed[key] = OPTIONS[key].parse(raw[key], raw);
  }
  return parsed as ProjectOptions;
}
