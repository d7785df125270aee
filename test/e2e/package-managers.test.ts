// `npm create`, `pnpm create` (pnpm 10 and 12), `yarn create` (yarn 1) and `bun create`, each typed as
// README.md's "Usage" shows it, once for the default app (SQLite) and once for `--store redis`. The
// package is not published, so this repository is packed and served by a registry on 127.0.0.1 that
// forwards everything else to the real one (helpers/local-registry.ts); the managers come from the npm
// registry, pinned in helpers/package-manager-runtimes.ts. Each runs with a fresh HOME and TMPDIR
// (no config, global folder or npx/dlx cache of this machine's) and download caches shared between runs.
// After each create: that manager's lockfile is there and committed, better-sqlite3 loads (and we
// note whether it was compiled here), the app starts with the manager's own start script and answers
// GET /health, and the next steps printed name that manager. The default app is created as on a
// developer's machine, the Redis one with CI=true (no lockfile yet: pnpm must not insist on one).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { startApp } from '../helpers/app-process.ts';
import { describeRun, runProcess, type RunResult } from '../helpers/cli.ts';
import { packThisRepo, startLocalRegistry, upstreamRegistry, type LocalRegistry } from '../helpers/local-registry.ts';
import {
  createCommand,
  managerEnv,
  obtainPackageManager,
  PACKAGE_MANAGER_RUNTIMES,
  type ObtainedPackageManager,
  type PackageManagerRuntime,
} from '../helpers/package-manager-runtimes.ts';
import { makeTempDir, REPO_ROOT } from '../helpers/paths.ts';
import { freePort } from '../helpers/ports.ts';
import { terminate, track } from '../helpers/processes.ts';
import { serverDown, STORE_SERVERS } from '../helpers/store-servers.ts';
import { needs, needsTools } from '../helpers/tools.ts';

const APP = 'my-app';
const REDIS = STORE_SERVERS.redis;
const REDIS_URL = REDIS.url();
const LOCKFILES = [...new Set(PACKAGE_MANAGER_RUNTIMES.map((r) => r.lockfile))];

interface CreateCase {
  name: string;
  flags: string[];
  /** Run with CI=true. */
  ci: boolean;
  sqlite: boolean;
  env: (root: string) => Record<string, string>;
}

const CASES: readonly CreateCase[] = [
  {
    name: 'the default app (SQLite)',
    flags: ['--yes'],
    ci: false,
    sqlite: true,
    env: (root) => ({ SQLITE_PATH: join(root, 'sessions.db') }),
  },
  {
    name: 'the Redis app, with CI=true',
    flags: ['--yes', '--store', 'redis'],
    ci: true,
    sqlite: false,
    env: () => ({ REDIS_URL }),
  },
];

interface Line {
  at: number;
  text: string;
}

/** Runs a command, keeping each output line with the time it arrived (to time the install step). */
function runTimed(
  file: string,
  args: string[],
  { cwd, env, timeoutMs }: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
) {
  const started = Date.now();
  return new Promise<RunResult & { lines: Line[] }>((resolve, reject) => {
    const child = track(spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] }));
    const lines: Line[] = [];
    let stdout = '';
    let stderr = '';
    createInterface({ input: child.stdout! }).on('line', (text) => {
      stdout += `${text}\n`;
      lines.push({ at: Date.now(), text });
    });
    createInterface({ input: child.stderr! }).on('line', (text) => {
      stderr += `${text}\n`;
      lines.push({ at: Date.now(), text });
    });
    const timer = setTimeout(() => void terminate(child, 1000), timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const result = { code, signal, stdout, stderr, durationMs: Date.now() - started, lines };
      if (Date.now() - started >= timeoutMs)
        reject(new Error(`${file} ${args.join(' ')} did not finish within ${timeoutMs} ms\n${describeRun(result)}`));
      else resolve(result);
    });
  });
}

/** How long the CLI's install step took: from its "Installing dependencies" line to its "Installed" line. */
function installMs(lines: Line[], pm: string): number | undefined {
  const start = lines.find((l) => l.text.includes(`Installing dependencies with ${pm}`));
  const end = lines.find((l) => l.text.includes(`Installed dependencies with ${pm}`));
  return start && end ? end.at - start.at : undefined;
}

/** Loads better-sqlite3 in the app as the app does, and says where its binary came from. */
const LOAD_SQLITE = `
const { createRequire } = require('node:module');
const { existsSync } = require('node:fs');
const { dirname, join } = require('node:path');
const Database = require('better-sqlite3');
const { version } = new Database(':memory:').prepare('select sqlite_version() as version').get();
const root = dirname(dirname(require.resolve('better-sqlite3')));
console.log(JSON.stringify({
  version,
  compiled: existsSync(join(root, 'build', 'Release', 'better_sqlite3.node')),
  nodeGypRan: existsSync(join(root, 'build')),
}));`;

const seconds = (ms: number | undefined) => (ms === undefined ? '?' : `${(ms / 1000).toFixed(1)} s`);

const redisDown = await serverDown(REDIS);

// git: the lockfile must be in the CLI's first commit.
describe('create an app with each package manager, as a user types it', needsTools('git'), () => {
  let registry: LocalRegistry | undefined;
  const obtained = new Map<string, Promise<ObtainedPackageManager>>();

  before(
    async () => {
      assert.ok(existsSync(join(REPO_ROOT, 'dist', 'index.js')), 'dist/index.js is missing: run `npm run build` first');
      // The managers download while the package is packed; each test awaits its own.
      for (const runtime of PACKAGE_MANAGER_RUNTIMES) {
        const p = obtainPackageManager(runtime);
        p.catch(() => {}); // reported by the test that awaits it
        obtained.set(runtime.name, p);
      }
      registry = await startLocalRegistry(await packThisRepo(), await upstreamRegistry());
    },
    { timeout: 5 * 60_000 },
  );

  after(async () => {
    await registry?.close();
  });

  it("README.md's Usage shows each create command as these tests type it", async () => {
    const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
    const usage = readme.slice(readme.indexOf('## Usage'), readme.indexOf('\n## ', readme.indexOf('## Usage') + 1));
    for (const runtime of PACKAGE_MANAGER_RUNTIMES) {
      const command = createCommand(runtime, APP, CASES[0]!.flags);
      assert.ok(usage.includes(`\n${command}`), `README.md's Usage lacks: ${command}`);
    }
  });

  for (const runtime of PACKAGE_MANAGER_RUNTIMES) {
    describe(`${runtime.name}: ${createCommand(runtime, APP, ['--yes'])}`, () => {
      for (const c of CASES) {
        const options = c.sqlite ? {} : needs(`${REDIS.name} on 127.0.0.1:${REDIS.port} (${runtime.name})`, redisDown);
        it(
          `${c.name}: installed with ${runtime.pm}, started with ` +
            `${runtime.pm} ${runtime.start.join(' ')}, next steps in ${runtime.pm}`,
          { ...options, timeout: 6 * 60_000 },
          async () => {
            await createAndStart(runtime, await obtained.get(runtime.name)!, registry!, c);
          },
        );
      }
    });
  }
});

async function createAndStart(
  runtime: PackageManagerRuntime,
  manager: ObtainedPackageManager,
  registry: LocalRegistry,
  c: CreateCase,
) {
  const root = await makeTempDir('pm');
  try {
    const [home, tmp, work] = ['home', 'tmp', 'work'].map((d) => join(root.path, d)) as [string, string, string];
    for (const dir of [home, tmp, work]) await mkdir(dir);
    const env = managerEnv(manager, { home, tmp, registry: registry.url, ci: c.ci });
    const program = join(manager.binDir, runtime.pm);
    const asked = registry.served.length;

    const create = await runTimed(program, runtime.create(APP, c.flags), { cwd: work, env, timeoutMs: 5 * 60_000 });
    const what = `${createCommand(runtime, APP, c.flags)}${c.ci ? ' (CI=true)' : ''}`;
    assert.equal(create.code, 0, `${what} failed: ${describeRun(create)}`);
    assert.ok(
      registry.served.slice(asked).some((r) => r.startsWith('GET /create-secure-session-app')),
      `${what} never asked the local registry for the package: ${registry.served.slice(asked).join(', ')}`,
    );
    assert.doesNotMatch(create.stderr, /so defaults were taken/, `the CLI did not get --yes from ${what}`);
    const dir = join(work, APP);

    // Installed by that manager: its lockfile and no other, in the first commit.
    for (const lockfile of LOCKFILES) {
      assert.equal(existsSync(join(dir, lockfile)), lockfile === runtime.lockfile, `${lockfile} after ${what}`);
    }
    const tracked = await runProcess('git', ['ls-files', '--error-unmatch', runtime.lockfile], {
      cwd: dir,
      env,
      timeoutMs: 10_000,
    });
    assert.equal(tracked.code, 0, `${runtime.lockfile} is not in the first commit: ${describeRun(tracked)}`);
    assert.equal(
      existsSync(join(dir, 'pnpm-workspace.yaml')),
      runtime.pm === 'pnpm' && c.sqlite,
      'pnpm-workspace.yaml only for pnpm and a store with install scripts',
    );

    // The next steps name this manager's commands.
    const steps = create.stdout.slice(create.stdout.indexOf('Next steps:'));
    assert.match(
      steps,
      new RegExp(`^\\s+cd ${APP}\\n\\s+${[runtime.pm, ...runtime.dev].join(' ')}    # then open`, 'm'),
      `next steps of ${what}:\n${steps}`,
    );
    if (runtime.pm !== 'npm') assert.doesNotMatch(steps, /\bnpm\b|\bnpx\b/, `next steps of ${what}`);

    let binary = 'no better-sqlite3';
    if (c.sqlite) {
      const load = await runProcess(process.execPath, ['-e', LOAD_SQLITE], { cwd: dir, env, timeoutMs: 30_000 });
      assert.equal(load.code, 0, `better-sqlite3 does not load after ${what}: ${describeRun(load)}`);
      const loaded = JSON.parse(load.stdout) as { version: string; compiled: boolean; nodeGypRan: boolean };
      binary = loaded.compiled
        ? 'better-sqlite3 compiled from source here'
        : `better-sqlite3's prebuilt binary from its package (node-gyp ` +
          `${loaded.nodeGypRan ? 'ran and built nothing' : 'not run'})`;
    }
    if (runtime.pm === 'pnpm' && c.sqlite) {
      // A teammate's clone: pnpm install (frozen: the lockfile is there) says nothing about builds it
      // was not told of (pnpm 10 would, without the generated pnpm-workspace.yaml).
      const clone = join(root.path, 'clone');
      const cloned = await runProcess('git', ['clone', '--quiet', dir, clone], {
        cwd: root.path,
        env,
        timeoutMs: 30_000,
      });
      assert.equal(cloned.code, 0, describeRun(cloned));
      const again = await runProcess(program, ['install', '--frozen-lockfile'], {
        cwd: clone,
        env,
        timeoutMs: 2 * 60_000,
      });
      assert.equal(again.code, 0, describeRun(again));
      assert.doesNotMatch(
        again.stdout + again.stderr,
        /Ignored build scripts|approve-builds/,
        `pnpm install in a clone of the app:\n${describeRun(again)}`,
      );
    }

    // Started by the manager's own start script, in production.
    const port = await freePort();
    const app = await startApp({
      dir,
      command: { file: program, args: runtime.start },
      env: {
        ...env, // the manager's, as in the shell that created the app
        NODE_ENV: undefined, // production
        SESSION_SECRET: randomBytes(24).toString('hex'), // 48 characters
        HOST: '127.0.0.1',
        PORT: String(port),
        ...c.env(root.path),
      },
      timeoutMs: 30_000,
    });
    await app.stop();

    console.log(
      `# ${runtime.name} ${manager.version}${manager.downloaded ? ' (downloaded)' : ''}, ${c.name}: create ` +
        `${seconds(create.durationMs)}, ` +
        `install ${seconds(installMs(create.lines, runtime.pm))}; ${binary}`,
    );
  } finally {
    await root.remove();
  }
}
