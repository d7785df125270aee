// Bad input for the CLI, as data: each case names what a user typed, the exit code it must get, and
// what the one-line error must say (the bad value, and the fix). Add a case by adding an entry.
// Every case also proves that the parent directory is byte-for-byte as it was.

export type Setup =
  'target-is-file' | 'target-not-empty' | 'target-has-our-file' | 'parent-read-only' | 'target-read-only';

export interface BadInputCase {
  name: string;
  /** CLI arguments; the first is the target unless `noTarget`. `--yes --no-git --no-install` are added unless `raw`. */
  args: string[];
  setup?: Setup;
  raw?: boolean;
  env?: Record<string, string | undefined>;
  /** Exit code; 2 unless said. */
  code?: number;
  /** The single stderr line must match each of these. */
  says: (string | RegExp)[];
  /** Strings that must not appear anywhere in the output (passwords). */
  never?: string[];
}

const long = 'a'.repeat(215);

/** `my-app --store-url <url>`, with `--store <store>` unless the default (sqlite) is meant. */
const storeUrl = (name: string, store: string | undefined, url: string, says: BadInputCase['says']): BadInputCase => ({
  name,
  args: ['my-app', ...(store ? ['--store', store] : []), '--store-url', url],
  says,
});

/** `my-app --proxy <proxy> --trust-proxy <value>`. */
const trustProxy = (name: string, value: string, says: BadInputCase['says'], proxy = 'custom'): BadInputCase => ({
  name,
  args: ['my-app', '--proxy', proxy, '--trust-proxy', value],
  says,
});

export const BAD_INPUT: BadInputCase[] = [
  // Project names npm would refuse.
  { name: 'capital letters', args: ['MyApp'], says: ['"MyApp"', /capital/, 'Try "myapp"'] },
  { name: 'a space', args: ['my app'], says: ['"my app"', 'Try "my-app"'] },
  { name: 'a leading dot', args: ['.hidden'], says: ['".hidden"', /period/, 'Try "hidden"'] },
  { name: 'a leading underscore', args: ['_private'], says: ['"_private"', /underscore/, 'Try "private"'] },
  { name: 'over 214 characters', args: [long], says: [/214/, 'Try "'] },
  { name: 'node_modules', args: ['node_modules'], says: ['"node_modules"', /npm reserves/, 'Try "node-modules"'] },
  { name: 'favicon.ico', args: ['favicon.ico'], says: ['"favicon.ico"', 'Try "'] },
  { name: 'a core module name (http)', args: ['http'], says: ['"http"', /core module/, 'Try "http-app"'] },
  { name: 'a core module name (fs)', args: ['fs'], says: ['"fs"', /core module/, 'Try "fs-app"'] },
  {
    name: 'characters that are not URL-friendly',
    args: ['my<app>'],
    says: ['"my<app>"', /URL-friendly/, 'Try "my-app"'],
  },
  { name: 'an empty name', args: [''], says: [/empty/, 'such as my-app'] },
  { name: 'a scope without a name', args: ['@scope/'], says: ['Try "'] },

  // The target on disk.
  {
    name: 'a target that is a file',
    args: ['my-app'],
    setup: 'target-is-file',
    says: [/my-app" exists and is not a directory/, 'choose another'],
  },
  {
    name: 'a non-empty target',
    args: ['my-app'],
    setup: 'target-not-empty',
    says: [/my-app" is not empty/, '--force'],
  },
  {
    name: '--force where one of our files exists',
    args: ['my-app', '--force'],
    setup: 'target-has-our-file',
    says: ['"package.json" already exists', 'never replaces'],
  },
  {
    name: 'a read-only parent directory',
    args: ['my-app'],
    setup: 'parent-read-only',
    says: [/cannot write/i, /read-only|permission/i, 'choose a directory you can write'],
  },
  {
    name: 'a read-only empty target directory',
    args: ['my-app'],
    setup: 'target-read-only',
    says: [/cannot write/i, 'choose a directory you can write'],
  },

  // Unknown choices and flags: name the choices and suggest the closest.
  {
    name: 'an unknown store',
    args: ['my-app', '--store', 'mongo'],
    says: ['"mongo"', 'sqlite, redis, postgres, mysql, memory'],
  },
  { name: 'a misspelt store', args: ['my-app', '--store', 'sqlit'], says: ['"sqlit"', 'Did you mean --store sqlite?'] },
  {
    name: 'an unknown proxy',
    args: ['my-app', '--proxy', 'apache'],
    says: ['"apache"', 'nginx, caddy, paas, custom, none'],
  },
  { name: 'a misspelt proxy', args: ['my-app', '--proxy', 'ngnix'], says: ['"ngnix"', 'Did you mean --proxy nginx?'] },
  { name: 'an unknown package manager', args: ['my-app', '--pm', 'pip'], says: ['"pip"', 'npm, pnpm, yarn, bun'] },
  { name: 'a misspelt package manager', args: ['my-app', '--pm', 'pnmp'], says: ['"pnmp"', 'Did you mean --pm pnpm?'] },
  {
    name: 'an unknown flag close to a real one',
    args: ['my-app', '--sotre', 'sqlite'],
    says: ["'--sotre'", 'Did you mean --store?'],
  },
  { name: 'an unknown flag', args: ['my-app', '--frobnicate'], says: ["'--frobnicate'", '--help'] },
  {
    name: 'a flag without its value',
    args: ['my-app', '--yes', '--port'],
    raw: true,
    says: ["'--port <n>'", /argument missing/, '--help'],
  },
  {
    name: 'two directories',
    args: ['my-app', 'other-app'],
    says: [/too many arguments|unexpected argument/i, '--help'],
  },
  // `npm create secure-session-app my-app --store redis`: npm keeps --store, passes redis on
  {
    name: 'flags npm kept for itself (no -- after npm create my-app)',
    args: ['my-app', 'redis', '1h'],
    env: {
      npm_config_user_agent: 'npm/11.19.1 node/v26.10.0 linux x64 workspaces/false',
      npm_config_store: 'true',
      npm_config_max_age: 'true',
    },
    says: ['npm kept --store, --max-age for itself', 'npm create secure-session-app@latest my-app -- --store'],
  },
  // `--store=redis` reaches npm whole, and the CLI would silently make the default app
  {
    name: 'a --flag=value npm kept for itself',
    args: ['my-app'],
    env: { npm_config_user_agent: 'npm/11.19.1 node/v26.10.0 linux x64 workspaces/false', npm_config_store: 'redis' },
    says: ['npm kept --store for itself', '`--`'],
  },

  // Durations.
  { name: 'a zero lifetime', args: ['my-app', '--max-age', '0'], says: ['"0"', 'such as 30m'] },
  { name: 'a negative lifetime', args: ['my-app', '--max-age', '-5m'], says: ['"-5m"', 'such as 30m'] },
  { name: 'a lifetime in words', args: ['my-app', '--max-age', '7 days'], says: ['"7 days"', 'such as 30m'] },
  { name: 'an exponent that overflows', args: ['my-app', '--max-age', '1e309s'], says: ['"1e309s"', 'such as 30m'] },
  { name: 'a lifetime beyond a cookie date', args: ['my-app', '--max-age', '999999w'], says: ['"999999w"', '400d'] },
  { name: 'a lifetime over 400 days', args: ['my-app', '--max-age', '401d'], says: ['"401d"', '400d'] },
  {
    name: 'an absolute timeout shorter than the idle lifetime',
    args: ['my-app', '--max-age', '1h', '--absolute-timeout', '30m'],
    says: ['"30m"', 'shorter than --max-age 1h', 'use none'],
  },
  { name: 'a zero absolute timeout', args: ['my-app', '--absolute-timeout', '0'], says: ['"0"', 'such as 30m'] },

  // Ports and domains.
  { name: 'port 0', args: ['my-app', '--port', '0'], says: ['"0"', '1 to 65535'] },
  { name: 'a port over 65535', args: ['my-app', '--port', '70000'], says: ['"70000"', '1 to 65535'] },
  { name: 'a port that is not a number', args: ['my-app', '--port', '3e3'], says: ['"3e3"', '1 to 65535'] },
  {
    name: 'a domain with a space',
    args: ['my-app', '--domain', 'exa mple.com'],
    says: ['"exa mple.com"', 'such as app.example.com'],
  },
  {
    name: 'a domain that would inject nginx config',
    args: ['my-app', '--domain', 'a.com; return 200'],
    says: ['"a.com; return 200"', 'such as app.example.com'],
  },
  {
    name: 'a domain with a newline',
    args: ['my-app', '--domain', 'a.com\nserver {'],
    says: ['--domain', 'such as app.example.com'],
  },

  // Store locations.
  storeUrl('a URL as the SQLite path', undefined, 'redis://localhost:6379', ['"redis://localhost:6379"', 'file path']),
  storeUrl('a directory as the SQLite path', undefined, 'data/', ['"data/"', 'such as ./data/sessions.db']),
  storeUrl('an empty SQLite path', undefined, '', ['--store-url', 'such as ./data/sessions.db']),
  {
    name: 'a Redis store given a PostgreSQL URL',
    args: ['my-app', '--store', 'redis', '--store-url', 'postgres://u:hunter2@db/x'],
    says: ['postgres://u:***@db/x', 'redis://'],
    never: ['hunter2'],
  },
  storeUrl('a PostgreSQL store given words', 'postgres', 'not a url', ['"not a url"', 'such as postgres://']),
  storeUrl('a PostgreSQL URL without a host', 'postgres', 'postgres://', ['"postgres://"', 'no host']),
  storeUrl('a MySQL URL without a database', 'mysql', 'mysql://root@127.0.0.1:3306', [
    'no database',
    'such as mysql://',
  ]),
  storeUrl('a Redis URL with an impossible port', 'redis', 'rediss://h:99999', [
    '"rediss://h:99999"',
    'such as redis://',
  ]),
  storeUrl('a Redis URL with a quote', 'redis', 'redis://h"x', ['quote', 'such as redis://']),
  storeUrl('a location for the memory store', 'memory', './x.db', ['"./x.db"', 'leave --store-url out']),

  // Who the app trusts as its proxy (--proxy custom --trust-proxy).
  trustProxy('--trust-proxy true', 'true', [
    '--trust-proxy "true"',
    'trusts every client',
    'use a hop count such as 1',
  ]),
  trustProxy('--trust-proxy 0', '0', ['--trust-proxy "0"', '--proxy none', 'use a hop count such as 1']),
  trustProxy('a hop count larger than any real chain: --trust-proxy 99', '99', [
    '--trust-proxy "99"',
    'at most 5 hops',
    'use a hop count such as 1',
  ]),
  trustProxy('an empty --trust-proxy', '', ['--trust-proxy ""', 'empty', 'use a hop count such as 1']),
  trustProxy('a garbage --trust-proxy', 'nginx-please', [
    '"nginx-please"',
    'not an IP address',
    'use a hop count such as 1',
  ]),
  trustProxy('an IPv4 CIDR with too many bits', '10.0.0.0/33', ['"10.0.0.0/33"', 'from 1 to 32']),
  trustProxy('an IPv6 CIDR with too many bits', '::1/129', ['"::1/129"', 'from 1 to 128']),
  trustProxy('a CIDR without its prefix length', '1.2.3.4/', ['"1.2.3.4/"', 'prefix length']),
  trustProxy('a /0 range as --trust-proxy', '0.0.0.0/0', ['"0.0.0.0/0"', 'every address']),
  trustProxy('a --trust-proxy list with an empty entry', '10.0.0.1,,10.0.0.2', ['"10.0.0.1,,10.0.0.2"', 'empty entry']),
  trustProxy('a --trust-proxy that would inject code', '1.2.3.4"; process.exit(); "', [
    '--trust-proxy',
    'not an IP address',
  ]),
  trustProxy(
    '--trust-proxy with --proxy nginx',
    '1',
    ['--trust-proxy only applies to --proxy custom', '--proxy nginx trusts loopback'],
    'nginx',
  ),
  trustProxy(
    '--trust-proxy with --proxy paas',
    '2',
    ['--trust-proxy only applies to --proxy custom', '--proxy paas trusts 1'],
    'paas',
  ),
  trustProxy(
    '--trust-proxy with --proxy none',
    'loopback',
    ['--trust-proxy only applies to --proxy custom', 'trusts no proxy'],
    'none',
  ),

  // Flags that contradict each other.
  {
    name: '--rolling and --no-rolling',
    args: ['my-app', '--rolling', '--no-rolling'],
    says: ['--rolling', '--no-rolling', 'one of them'],
  },
  {
    name: '--dry-run with --install',
    args: ['my-app', '--dry-run', '--install'],
    raw: true,
    says: ['--dry-run', '--install'],
  },

  // An install that cannot happen.
  {
    name: '--install with a package manager that is not installed',
    args: ['my-app', '--yes', '--no-git', '--install', '--pm', 'bun'],
    raw: true,
    env: { PATH: '/usr/bin:/bin' },
    says: ['bun', /not installed|not found/, '--no-install'],
  },
];

/** Names that are fine, but whose directory differs from the package name. */
export interface FineNameCase {
  name: string;
  /** What the user typed as the directory. */
  input: string;
  /** Where the project must land, relative to the working directory, and its package name. */
  dir: string;
  packageName: string;
}

export const FINE_NAMES: FineNameCase[] = [
  { name: 'a scoped name', input: '@acme/api', dir: 'api', packageName: '@acme/api' },
  { name: 'a path with spaces', input: 'my projects/api', dir: 'my projects/api', packageName: 'api' },
  { name: 'a path through unicode folders', input: 'проекты/日本/api', dir: 'проекты/日本/api', packageName: 'api' },
  { name: 'a relative path that climbs', input: 'nested/../apps/web-app', dir: 'apps/web-app', packageName: 'web-app' },
];
