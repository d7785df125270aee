// The ways of deploying the generated app that the security suites run (README.md, "Security
// properties"): which proxy and store, the test file that runs each, and the tools each needs.
// The properties proven on each: test/helpers/security-properties.ts. The JavaScript setups are the
// ones the rows name; a TypeScript setup (the app generated with --typescript) names none of its own:
// it runs the rows that hold on every JavaScript setup it derives from (`jsTwins`), so a new row never
// needs a TypeScript edit.

/** The setups the rows of the table name: the app in JavaScript (the CLI's default). */
export type JsSetupId =
  | 'nginx+sqlite'
  | 'caddy+sqlite'
  | 'none+sqlite'
  | 'paas+sqlite'
  | 'custom+sqlite'
  | 'nginx+redis'
  | 'nginx+postgres'
  | 'nginx+mysql';
/** The app generated with --typescript, on one proxy and store. */
export type TsSetupId = 'ts:nginx+sqlite' | 'ts:caddy+redis';
export type SetupId = JsSetupId | TsSetupId;

/** One way of deploying the generated app that the security suites run. */
export interface SecuritySetup {
  id: SetupId;
  /** The language the app is generated in: JavaScript unless given (`--typescript`). */
  language?: 'javascript' | 'typescript';
  proxy: 'nginx' | 'caddy' | 'none' | 'paas' | 'custom';
  store: 'sqlite' | 'redis' | 'postgres' | 'mysql';
  /** The test file (under test/e2e/) that runs it. */
  file: string;
  /** How it runs here, for the README. */
  how: string;
  /** The programs its deployment runs (the front, and openssl for the test certificate). */
  tools: readonly string[];
}

const NGINX = ['nginx', 'openssl'];

export const SECURITY_SETUPS: readonly SecuritySetup[] = [
  {
    id: 'nginx+sqlite',
    proxy: 'nginx',
    store: 'sqlite',
    file: 'security.test.ts',
    how: 'the default: real nginx with the generated deploy/nginx.conf',
    tools: NGINX,
  },
  {
    id: 'caddy+sqlite',
    proxy: 'caddy',
    store: 'sqlite',
    file: 'security-proxies.test.ts',
    how: 'real Caddy with the generated deploy/Caddyfile',
    tools: ['caddy', 'openssl'],
  },
  {
    id: 'none+sqlite',
    proxy: 'none',
    store: 'sqlite',
    file: 'security-proxies.test.ts',
    how: 'no proxy: the app serves HTTPS itself',
    tools: ['openssl'],
  },
  {
    id: 'paas+sqlite',
    proxy: 'paas',
    store: 'sqlite',
    file: 'security-proxies.test.ts',
    how:
      "a test nginx in the platform router's place (TLS, appends " +
      'X-Forwarded-For); the app on 0.0.0.0 with its generated TRUST_PROXY=1',
    tools: NGINX,
  },
  {
    id: 'custom+sqlite',
    proxy: 'custom',
    store: 'sqlite',
    file: 'security-proxies.test.ts',
    how: 'a test nginx as the proxy; the app generated with --trust-proxy 127.0.0.1',
    tools: NGINX,
  },
  {
    id: 'nginx+redis',
    proxy: 'nginx',
    store: 'redis',
    file: 'security-stores.test.ts',
    how: 'nginx, Redis on 127.0.0.1:6379',
    tools: NGINX,
  },
  {
    id: 'nginx+postgres',
    proxy: 'nginx',
    store: 'postgres',
    file: 'security-stores.test.ts',
    how: 'nginx, PostgreSQL on 127.0.0.1:5432',
    tools: NGINX,
  },
  {
    id: 'nginx+mysql',
    proxy: 'nginx',
    store: 'mysql',
    file: 'security-stores.test.ts',
    how: 'nginx, MariaDB on 127.0.0.1:3306',
    tools: NGINX,
  },
  {
    id: 'ts:nginx+sqlite',
    language: 'typescript',
    proxy: 'nginx',
    store: 'sqlite',
    file: 'security-typescript.test.ts',
    how: 'the app generated with --typescript (Node runs src/server.ts), nginx',
    tools: NGINX,
  },
  {
    id: 'ts:caddy+redis',
    language: 'typescript',
    proxy: 'caddy',
    store: 'redis',
    file: 'security-typescript.test.ts',
    how: 'the app generated with --typescript (Node runs src/server.ts), Caddy, Redis on 127.0.0.1:6379',
    tools: ['caddy', 'openssl'],
  },
];

/** The setup's language, JavaScript unless it says otherwise. */
export function languageOf(setup: SecuritySetup): 'javascript' | 'typescript' {
  return setup.language ?? 'javascript';
}

/**
 * The JavaScript setups whose rows a setup runs (a row runs on it when it runs on every one of them):
 * a JavaScript setup's own; for a TypeScript one, the setup with its proxy (on the default store,
 * where the proxy rows are proven) and the one with its store (behind nginx, where the store rows
 * are), which is one setup for nginx+sqlite.
 */
export function jsTwins(setup: SecuritySetup): JsSetupId[] {
  if (languageOf(setup) === 'javascript') return [setup.id as JsSetupId];
  const twins = [...new Set([`${setup.proxy}+sqlite`, `nginx+${setup.store}`])];
  for (const twin of twins)
    if (!SECURITY_SETUPS.some((s) => s.id === twin && languageOf(s) === 'javascript'))
      throw new Error(`${setup.id}: no JavaScript setup ${twin} to take its rows from`);
  return twins as JsSetupId[];
}

/** Whether a row proven on the JavaScript setups `rowSetups` runs on `setup`: on each of its twins. */
export function runsRow(rowSetups: readonly JsSetupId[], setup: SecuritySetup): boolean {
  return jsTwins(setup).every((twin) => rowSetups.includes(twin));
}

/** The setup of that id. */
export function securitySetup(id: SetupId): SecuritySetup {
  const setup = SECURITY_SETUPS.find((s) => s.id === id);
  if (!setup) throw new Error(`no setup ${id}`);
  return setup;
}
