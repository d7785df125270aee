// Every dependency the generated apps can have, and its range: an upgrade is one line here. Each is
// the newest major that runs on the app's Node lines (22.12+, 24, 26); an exception says why beside it.
export const DEPENDENCY_VERSIONS = {
  express: '^5.3.0',
  'express-session': '^1.19.0',
  helmet: '^8.3.0',
  'express-rate-limit': '^8.7.5',
  // 13 moved to node-addon-api: 12's ObjectWrap statements abort the process under GC on Node 24.19+.
  'better-sqlite3': '^13.2.0',
  'connect-redis': '^10.0.0',
  redis: '^6.3.1',
  'rate-limit-redis': '^6.0.1',
  'connect-pg-simple': '^10.0.0',
  pg: '^8.23.1',
  'express-mysql-session': '^3.0.3',
  mysql2: '^3.24.6',
  memorystore: '^1.6.8',
} as const;

export type DependencyName = keyof typeof DEPENDENCY_VERSIONS;

/**
 * The Node lines the generated app is tested on; a native store (better-sqlite3) claims no more.
 * 22.14, not 22.12: better-sqlite3 13's binaries need Node-API 10 and crash on 22.12 and 22.13.
 */
export const GENERATED_ENGINES = '^22.14.0 || ^24.0.0 || ^26.0.0';
