// The ways of deploying the generated app that the security suites run (README.md, "Security
// properties"): which proxy and store, the test file that runs each, and the tools each needs.
// The properties proven on each: test/helpers/security-properties.ts.

export type SetupId =
  | 'nginx+sqlite'
  | 'caddy+sqlite'
  | 'none+sqlite'
  | 'paas+sqlite'
  | 'custom+sqlite'
  | 'nginx+redis'
  | 'nginx+postgres'
  | 'nginx+mysql';

/** One way of deploying the generated app that the security suites run. */
export interface SecuritySetup {
  id: SetupId;
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
];

/** The setup of that id. */
export function securitySetup(id: SetupId): SecuritySetup {
  const setup = SECURITY_SETUPS.find((s) => s.id === id);
  if (!setup) throw new Error(`no setup ${id}`);
  return setup;
}
