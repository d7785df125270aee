import {
  DEPENDENCY_VERSIONS,
  GENERATED_ENGINES,
  TYPES_OF,
  TYPESCRIPT_ENGINES,
  type DependencyName,
} from './dependency-versions.js';
import type { ProjectOptions } from './options.js';
import type { ManagerSettings } from './package-managers.js';

// Built as an object and serialised, never templated (as express-generator does).
const BASE_DEPENDENCIES: readonly DependencyName[] = ['express', 'express-session', 'express-rate-limit', 'helmet'];

export function generatedPackageJson(packageName: string, options: ProjectOptions): string {
  const { store, typescript } = options;
  const dependencies = [...BASE_DEPENDENCIES, ...store.dependencies];
  // Node runs the TypeScript app's files as they are: the same commands, on .ts files.
  const ext = typescript ? 'ts' : 'js';
  const manifest = {
    name: packageName,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: typescript ? TYPESCRIPT_ENGINES : GENERATED_ENGINES },
    scripts: {
      // production is the default when NODE_ENV is unset, so start needs no `NODE_ENV=x cmd`,
      // which fails on Windows.
      start: `node src/server.${ext}`,
      // scripts/check-env says to run setup when .env is missing (a fresh clone), before
      // --watch, which would wait for changes instead of exiting. `&&` works in cmd.exe too.
      dev: `node scripts/check-env.${ext} && node --env-file=.env --watch src/server.${ext}`,
      // writes .env from .env.example with fresh secrets; never replaces an existing one
      setup: `node scripts/setup.${ext}`,
      ...(typescript && { typecheck: 'tsc --noEmit' }),
      // Only the test files: a bare `node --test` also runs every other file under test/ (helpers) as a
      // test file. Quoted, the glob reaches Node (22.14+ expands it), not the shell: so it works in
      // cmd.exe and every shell alike.
      test: typescript ? 'tsc --noEmit && node --test "test/*.test.ts"' : 'node --test "test/*.test.js"',
      // Accounts, in the store the app is configured for (scripts/users): `user:add -- <name>`
      // reads the password without echo on a terminal, or one line from stdin when piped.
      'user:add': `node scripts/users.${ext} add`,
      'user:passwd': `node scripts/users.${ext} passwd`,
      'user:remove': `node scripts/users.${ext} remove`,
      'user:list': `node scripts/users.${ext} list`,
      // Checks a deployment from outside, through its proxy: `verify -- https://<host>` (scripts/verify).
      verify: `node scripts/verify.${ext}`,
    },
    dependencies: versionsOf(dependencies),
    ...(typescript && { devDependencies: versionsOf(typesFor(dependencies)) }),
    // The store's install-script decisions and overrides, in the chosen package manager's own fields.
    ...managerSettings(options).packageJson,
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * What the chosen package manager must be told of the store's needs, in its own fields and files: which
 * install scripts may run, and (TypeScript app) the dependencies pinned to the app's own version.
 */
export function managerSettings({ store, typescript, pm }: ProjectOptions): ManagerSettings {
  const pinned = typescript ? (store.typeOverrides ?? []) : [];
  return pm.settings({ installScripts: store.installScripts, overrides: versionsOf(pinned) });
}

/** The TypeScript app's development dependencies: the compiler, Node's types and those of `dependencies`. */
function typesFor(dependencies: readonly DependencyName[]): DependencyName[] {
  return ['typescript', '@types/node', ...dependencies.flatMap((name) => TYPES_OF[name] ?? [])];
}

function versionsOf(names: readonly DependencyName[]): Record<string, string> {
  return Object.fromEntries([...names].sort().map((name) => [name, DEPENDENCY_VERSIONS[name]]));
}

/** The TypeScript app's tsconfig.json: type-checking only (Node strips the types itself, and never reads it). */
export function generatedTsconfig(): string {
  const compilerOptions = {
    // Node 22, the oldest line the app runs on, has all of ES2024.
    target: 'es2024',
    module: 'nodenext',
    strict: true,
    // What Node can strip: no enums, namespaces or parameter properties, and `import type` for types.
    erasableSyntaxOnly: true,
    verbatimModuleSyntax: true,
    // Imports name the .ts files Node runs.
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
  };
  return `${JSON.stringify({ compilerOptions }, null, 2)}\n`;
}
