import { DEPENDENCY_VERSIONS, GENERATED_ENGINES, type DependencyName } from './dependency-versions.js';
import type { ProjectOptions } from './options.js';

// Built as an object and serialised, never templated (as express-generator does).
const BASE_DEPENDENCIES: readonly DependencyName[] = ['express', 'express-session', 'express-rate-limit', 'helmet'];

export function generatedPackageJson(packageName: string, options: ProjectOptions): string {
  const store = options.store;
  const manifest = {
    name: packageName,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: GENERATED_ENGINES },
    scripts: {
      // production is the default when NODE_ENV is unset, so start needs no `NODE_ENV=x cmd`,
      // which fails on Windows.
      start: 'node src/server.js',
      // scripts/check-env.js says to run setup when .env is missing (a fresh clone), before
      // --watch, which would wait for changes instead of exiting. `&&` works in cmd.exe too.
      dev: 'node scripts/check-env.js && node --env-file=.env --watch src/server.js',
      // writes .env from .env.example with fresh secrets; never replaces an existing one
      setup: 'node scripts/setup.js',
      // Only the test files: bare `node --test` also runs every other .js under test/ (helpers.js)
      // as a test file. Quoted, the glob reaches Node (22.14+ expands it), not the shell: so it
      // works in cmd.exe and every shell alike.
      test: 'node --test "test/*.test.js"',
      // Accounts, in the store the app is configured for (scripts/users.js): `user:add -- <name>`
      // reads the password without echo on a terminal, or one line from stdin when piped.
      'user:add': 'node scripts/users.js add',
      'user:passwd': 'node scripts/users.js passwd',
      'user:remove': 'node scripts/users.js remove',
      'user:list': 'node scripts/users.js list',
    },
    dependencies: versionsOf([...BASE_DEPENDENCIES, ...store.dependencies]),
    // The store's install-script decisions, in the chosen package manager's own field (if it has one).
    ...options.pm.scriptSettings(store.installScripts).packageJson,
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function versionsOf(names: readonly DependencyName[]): Record<string, string> {
  return Object.fromEntries([...names].sort().map((name) => [name, DEPENDENCY_VERSIONS[name]]));
}
