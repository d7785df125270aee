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
  // The TypeScript app's: the compiler that type-checks it (Node runs it without), and the types of
  // the dependencies that ship none. @types/node follows the oldest Node line the app runs on.
  typescript: '^7.0.2',
  '@types/node': '^22.20.7',
  '@types/express': '^5.0.6',
  '@types/express-session': '^1.19.0',
  '@types/better-sqlite3': '^9.6.0',
  '@types/pg': '^8.23.1',
  '@types/connect-pg-simple': '^7.0.3',
  '@types/express-mysql-session': '^3.0.8',
} as const;

export type DependencyName = keyof typeof DEPENDENCY_VERSIONS;

/** The types of each dependency that ships none, for the TypeScript app. */
export const TYPES_OF: Partial<Record<DependencyName, DependencyName>> = {
  express: '@types/express',
  'express-session': '@types/express-session',
  'better-sqlite3': '@types/better-sqlite3',
  pg: '@types/pg',
  'connect-pg-simple': '@types/connect-pg-simple',
  'express-mysql-session': '@types/express-mysql-session',
};

/**
 * The Node lines the generated app is tested on; a native store (better-sqlite3) claims no more.
 * 22.14, not 22.12: better-sqlite3 13's binaries need Node-API 10 and crash on 22.12 and 22.13.
 */
export const GENERATED_ENGINES = '^22.14.0 || ^24.0.0 || ^26.0.0';

/** The same lines where Node runs .ts files without a flag: 22 strips types by default from 22.18.0 on. */
export const TYPESCRIPT_ENGINES = '^22.18.0 || ^24.0.0 || ^26.0.0';
