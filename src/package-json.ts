import type { ProjectOptions } from './options.js';

// Built as an object and serialised, never templated (as express-generator does).
// Every range admits Node 20.19+, the oldest Node the generated app supports.
const BASE_DEPENDENCIES = {
  express: '^5.3.0',
  'express-session': '^1.19.0',
  helmet: '^8.3.0',
};

export function generatedPackageJson(packageName: string, options: ProjectOptions): string {
  const store = options.store;
  const manifest = {
    name: packageName,
    version: '0.1.0',
    private: true,
    type: 'module',
    // The Node lines the generated app is tested on; native stores (better-sqlite3) claim no more.
    engines: { node: '^20.19.0 || ^22.12.0 || ^24.0.0' },
    scripts: {
      // production is the default when NODE_ENV is unset, so start needs no `NODE_ENV=x cmd`,
      // which fails on Windows.
      start: 'node src/server.js',
      dev: 'node --env-file=.env --watch src/server.js',
      test: 'node --test',
    },
    dependencies: sortKeys({ ...BASE_DEPENDENCIES, ...store.dependencies }),
    // npm 11 skips dependencies' install scripts unless allowed; native stores need them.
    ...(store.allowScripts.length > 0 && {
      allowScripts: Object.fromEntries(store.allowScripts.map((name) => [name, true])),
    }),
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
