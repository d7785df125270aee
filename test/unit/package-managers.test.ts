// What each package manager gets: its own commands everywhere the project names one, and its own way of
// being told the store's install-script decisions (and nothing of the other managers'). The real
// managers are run by test/e2e/package-managers.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { equivalentCommand, nextSteps } from '../../src/next-steps.ts';
import {
  detectPackageManager,
  PACKAGE_MANAGERS,
  type InstallScripts,
  type PackageManager,
} from '../../src/package-managers.ts';
import type { Plan } from '../../src/plan.ts';
import { STORES } from '../../src/stores/index.ts';
import { plan, render } from '../helpers/plan.ts';

const pm = (id: string): PackageManager => PACKAGE_MANAGERS.find((p) => p.id === id)!;

/** What each manager must find in a project on the default store (better-sqlite3, which must not be built). */
const SQLITE_SETTINGS: Record<
  PackageManager['id'],
  { packageJson: Record<string, unknown>; files: Record<string, string> }
> = {
  npm: { packageJson: {}, files: {} }, // npm reads gypfile: false
  pnpm: { packageJson: {}, files: { 'pnpm-workspace.yaml': 'allowBuilds:\n  "better-sqlite3": false\n' } },
  yarn: { packageJson: {}, files: {} }, // yarn 1 has no allow-list
  bun: { packageJson: {}, files: {} }, // bun reads gypfile: false too
};

const SCRIPT_FIELDS = ['allowScripts', 'trustedDependencies', 'pnpm'];
const SCRIPT_FILES = ['pnpm-workspace.yaml', '.yarnrc', '.yarnrc.yml', 'bunfig.toml', '.npmrc'];

function textOf(p: Plan, path: string): string | undefined {
  const file = p.files.find((f) => f.path === path);
  return file?.source.kind === 'text' ? file.source.text : undefined;
}

describe('each package manager is told the store’s install-script decisions its own way', () => {
  for (const manager of PACKAGE_MANAGERS) {
    it(
      `${manager.id} + sqlite: its own setting that better-sqlite3 ` +
        `is not built, if it has one; nothing of the others`,
      async () => {
        const p = await plan({ pm: manager.id });
        const manifest = JSON.parse(textOf(p, 'package.json')!) as Record<string, unknown>;
        const expected = SQLITE_SETTINGS[manager.id];
        for (const field of SCRIPT_FIELDS)
          assert.deepEqual(manifest[field], expected.packageJson[field], `package.json ${field}`);
        for (const path of SCRIPT_FILES) {
          const text = textOf(p, path);
          if (expected.files[path] === undefined) assert.equal(text, undefined, `${path} is not written`);
          else assert.ok(text?.endsWith(expected.files[path]), `${path}:\n${text}`);
        }
      },
    );

    it(`${manager.id}: the stores without install scripts add no setting and no file`, async () => {
      for (const store of STORES.filter((s) => s.installScripts.length === 0)) {
        const p = await plan({ pm: manager.id, store: store.id });
        const manifest = JSON.parse(textOf(p, 'package.json')!) as Record<string, unknown>;
        for (const field of SCRIPT_FIELDS)
          assert.equal(manifest[field], undefined, `${store.id}: package.json ${field}`);
        for (const path of SCRIPT_FILES) assert.equal(textOf(p, path), undefined, `${store.id}: ${path}`);
      }
    });
  }

  it('says why in the one file that can hold a comment', async () => {
    const yaml = textOf(await plan({ pm: 'pnpm' }), 'pnpm-workspace.yaml')!;
    assert.match(yaml, /^# better-sqlite3: no, it ships its compiled binary for every platform it supports/m);
    for (const line of yaml.trimEnd().split('\n'))
      assert.match(line, /^(#.*|allowBuilds:|  "[a-z0-9@/._-]+": (true|false))$/, line);
  });

  it('scripts that must run are allowed by npm and pnpm and trusted by bun; yarn runs them anyway', () => {
    const scripts: InstallScripts[] = [
      { name: 'native-thing', has: 'scripts', run: true, why: 'it compiles its addon' },
      { name: 'noisy-thing', has: 'scripts', run: false, why: 'its postinstall only prints' },
      { name: 'prebuilt-thing', has: 'binding.gyp', run: false, why: 'it ships its binary' },
    ];
    const settings = (id: string) => pm(id).settings({ installScripts: scripts, overrides: {} });
    assert.deepEqual(settings('npm'), {
      packageJson: { allowScripts: { 'native-thing': true, 'noisy-thing': false } },
      files: [],
    });
    const pnpm = settings('pnpm');
    assert.deepEqual(pnpm.packageJson, {});
    assert.deepEqual(
      pnpm.files.map((f) => f.path),
      ['pnpm-workspace.yaml'],
    );
    assert.ok(
      pnpm.files[0]!.text.endsWith(
        'allowBuilds:\n  "native-thing": true\n  "noisy-thing": false\n  "prebuilt-thing": false\n',
      ),
    );
    assert.deepEqual(settings('bun'), {
      packageJson: { trustedDependencies: ['native-thing'] },
      files: [],
    });
    assert.deepEqual(settings('yarn'), { packageJson: {}, files: [] });
  });
});

describe('each package manager’s commands', () => {
  const COMMANDS = {
    npm: {
      install: 'npm install',
      dev: 'npm run dev',
      test: 'npm test',
      start: 'npm start',
      lockfile: 'package-lock.json',
    },
    pnpm: {
      install: 'pnpm install',
      dev: 'pnpm dev',
      test: 'pnpm test',
      start: 'pnpm start',
      lockfile: 'pnpm-lock.yaml',
    },
    yarn: { install: 'yarn', dev: 'yarn dev', test: 'yarn test', start: 'yarn start', lockfile: 'yarn.lock' },
    bun: {
      install: 'bun install',
      dev: 'bun run dev',
      test: 'bun run test',
      start: 'bun run start',
      lockfile: 'bun.lock',
    },
  };

  it('installs, runs scripts and names its lockfile as each manager does', () => {
    // `pnpm setup` and `bun test` are the managers' own commands, not the scripts of those names
    assert.deepEqual(
      PACKAGE_MANAGERS.map((p) => p.run('setup')),
      ['npm run setup', 'pnpm run setup', 'yarn run setup', 'bun run setup'],
    );
    assert.deepEqual(
      PACKAGE_MANAGERS.map((p) => p.id),
      Object.keys(COMMANDS),
    );
    for (const manager of PACKAGE_MANAGERS) {
      const c = COMMANDS[manager.id];
      assert.deepEqual(
        {
          install: manager.install,
          dev: manager.run('dev'),
          test: manager.run('test'),
          start: manager.run('start'),
          lockfile: manager.lockfile,
        },
        c,
      );
    }
  });

  it('is the one whose user agent ran the CLI, npm when none did', () => {
    const agents: [string | undefined, string][] = [
      ['npm/11.19.1 node/v26.10.0 linux x64 workspaces/false', 'npm'],
      ['pnpm/12.21.0 npm/? node/v26.10.0 linux x64', 'pnpm'],
      ['yarn/1.22.22 npm/? node/v26.10.0 linux x64', 'yarn'],
      ['bun/1.4.5 npm/? node/v24.3.0 linux x64', 'bun'],
      [undefined, 'npm'],
      ['deno/2.5.0', 'npm'],
    ];
    for (const [agent, id] of agents) assert.equal(detectPackageManager(agent).id, id, String(agent));
  });

  it('prints next steps and the command for CI with the chosen manager', () => {
    const answers = { store: 'redis', git: false };
    const expected = {
      npm: ['npm install', 'npm run dev', 'npx create-secure-session-app my-app --store redis --no-git --yes'],
      pnpm: [
        'pnpm install',
        'pnpm dev',
        'pnpm create secure-session-app my-app --store redis --pm pnpm --no-git --yes',
      ],
      yarn: ['yarn', 'yarn dev', 'yarn create secure-session-app my-app --store redis --pm yarn --no-git --yes'],
      bun: ['bun install', 'bun run dev', 'bun create secure-session-app my-app --store redis --pm bun --no-git --yes'],
    };
    for (const manager of PACKAGE_MANAGERS) {
      const [install, dev, again] = expected[manager.id];
      assert.deepEqual(nextSteps('/work/my-app', '/work', manager, false, 3000), [
        'cd my-app',
        install,
        `${dev}    # then open http://localhost:3000`,
      ]);
      assert.deepEqual(
        equivalentCommand('my-app', answers, { pm: manager, store: { kind: 'server', urlEnv: 'REDIS_URL' } }),
        { command: again, note: undefined },
      );
    }
  });

  it('the command for CI names a server URL with a password by its variable, and a file path as it is', () => {
    const npm = PACKAGE_MANAGERS[0]!;
    const redis = equivalentCommand(
      'my-app',
      { store: 'redis', storeUrl: 'redis://u:s3cret@host:6379' },
      { pm: npm, store: { kind: 'server', urlEnv: 'REDIS_URL' } },
    );
    assert.equal(redis.command, 'npx create-secure-session-app my-app --store redis --store-url "$REDIS_URL" --yes');
    assert.equal(
      redis.note,
      'Set REDIS_URL first to the --store-url given, redis://u:***@host:6379, with its password (not printed here).',
    );
    const sqlite = equivalentCommand(
      'my-app',
      { storeUrl: './data/a:b@c.db' },
      { pm: npm, store: { kind: 'file', urlEnv: 'SQLITE_PATH' } },
    );
    assert.deepEqual(sqlite, {
      command: 'npx create-secure-session-app my-app --store-url ./data/a:b@c.db --yes',
      note: undefined,
    });
  });

  for (const manager of PACKAGE_MANAGERS.filter((p) => p.id !== 'npm')) {
    it(
      `${manager.id}: the README, .env and the app's tests ` + `name ${manager.id}'s commands and never npm's`,
      async () => {
        for (const store of ['sqlite', 'redis']) {
          const files = await render({ pm: manager.id, store });
          const readme = files.get('README.md')!;
          assert.ok(
            readme.includes(`\n${manager.install}\n${manager.run('setup')}\n${manager.run('dev')}\n`),
            `${store}: README installs, sets up and runs dev with ${manager.id}`,
          );
          assert.ok(readme.includes(manager.run('test')), `${store}: README`);
          assert.match(
            files.get('test/helpers.js')!,
            new RegExp(`^// Run them with '${manager.run('test')}'`, 'm'),
            `${store}: test/helpers.js`,
          );
          for (const [path, text] of files) {
            assert.doesNotMatch(
              text,
              /\bnpm (run|install|test|start|ci)\b|\bnpx\b/,
              `${store}: ${path} names npm's commands`,
            );
          }
        }
      },
    );
  }
});
