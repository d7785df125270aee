// Generates an app with the real CLI into a fresh temp dir and installs its dependencies through a
// cache keyed on its package.json and the Node version, so each dependency set is installed once
// rather than once per test file.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnv, describeRun, runCli, runProcess, type RunResult } from './cli.ts';
import { makeTempDir } from './paths.ts';
import { sleep } from './processes.ts';

export interface GeneratedApp {
  /** The temp dir holding the app (and anything else the test puts there). */
  root: string;
  /** The app directory. */
  dir: string;
  name: string;
  generate: RunResult;
  remove: () => Promise<void>;
}

export const BASE_FLAGS = ['--yes', '--no-install', '--no-git'];

/** A committer for the first commit when the app is generated with `git: true`, whatever git's config. */
const GIT_IDENTITY = {
  GIT_AUTHOR_NAME: 'cssa tests',
  GIT_AUTHOR_EMAIL: 'tests@cssa.invalid',
  GIT_COMMITTER_NAME: 'cssa tests',
  GIT_COMMITTER_EMAIL: 'tests@cssa.invalid',
};

export async function generateApp(
  flags: string[] = [],
  {
    name = 'my-app',
    timeoutMs = 60_000,
    git = false,
    nodePath,
  }: {
    name?: string;
    timeoutMs?: number;
    /** git init and a first commit, as users get by default. */
    git?: boolean;
    /** The node binary that runs the CLI; defaults to the one running the tests. */
    nodePath?: string;
  } = {},
): Promise<GeneratedApp> {
  const tmp = await makeTempDir('app');
  const dir = join(tmp.path, name);
  try {
    const base = git ? BASE_FLAGS.filter((flag) => flag !== '--no-git') : BASE_FLAGS;
    const env = { CI: undefined, ...(git ? GIT_IDENTITY : {}) };
    const generate = await runCli([dir, ...base, ...flags], { cwd: tmp.path, env, timeoutMs, nodePath });
    if (generate.code !== 0)
      throw new Error(`the CLI failed to generate ${name} with ${flags.join(' ')}: ${describeRun(generate)}`);
    return { root: tmp.path, dir, name, generate, remove: tmp.remove };
  } catch (error) {
    await tmp.remove();
    throw error;
  }
}

/**
 * generateApp, then installDeps, saying in the test output where the dependencies came from (a
 * fresh install, or the cache) and how long that took. The app is removed if the install fails.
 */
export async function generateInstalledApp(flags: string[]): Promise<GeneratedApp> {
  const app = await generateApp(flags);
  try {
    const install = await installDeps(app.dir);
    console.log(
      `# dependencies ${install.installed ? 'installed' : 'from cache'} in ` +
        `${install.durationMs} ms (${install.cacheDir})`,
    );
    return app;
  } catch (error) {
    await app.remove();
    throw error;
  }
}

export const INSTALL_CACHE_ROOT = join(tmpdir(), 'cssa-install-cache');

/** The part of package.json that decides node_modules, as installed in the cache. */
function installManifest(pkg: Record<string, unknown>): Record<string, unknown> {
  const pick = (key: string) => (pkg[key] === undefined ? {} : { [key]: pkg[key] });
  return {
    name: 'cssa-install-cache',
    version: '0.0.0',
    private: true,
    ...pick('type'),
    ...pick('dependencies'),
    ...pick('devDependencies'),
    ...pick('optionalDependencies'),
    ...pick('overrides'),
    ...pick('allowScripts'),
  };
}

export function installCacheKey(pkg: Record<string, unknown>, nodeVersion: string = process.version): string {
  // Native addons are built for one Node ABI and platform: they are part of the key.
  const key = JSON.stringify({
    manifest: installManifest(pkg),
    node: nodeVersion,
    platform: process.platform,
    arch: process.arch,
  });
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

export interface InstallResult {
  cacheDir: string;
  /** False when node_modules came from an earlier install. */
  installed: boolean;
  durationMs: number;
}

/**
 * Gives `appDir` a node_modules: a symlink to `<cache>/<hash>/node_modules`, installing there first
 * when no complete install exists. A lock directory serialises concurrent installs of the same key.
 */
export async function installDeps(
  appDir: string,
  {
    timeoutMs = 8 * 60_000,
    nodeVersion,
    env = {},
  }: {
    timeoutMs?: number;
    /** Install for another Node than this one (give `env` that puts it first on PATH): part of the cache key. */
    nodeVersion?: string;
    /** Extra environment for npm install, e.g. PATH and npm_config_nodedir for another Node. */
    env?: Record<string, string | undefined>;
  } = {},
): Promise<InstallResult> {
  const started = Date.now();
  const pkg = JSON.parse(await readFile(join(appDir, 'package.json'), 'utf8')) as Record<string, unknown>;
  const hash = installCacheKey(pkg, nodeVersion);
  const cacheDir = join(INSTALL_CACHE_ROOT, hash);
  const marker = join(cacheDir, '.complete');
  const lock = `${cacheDir}.lock`;
  let installed = false;

  // complete = the marker written after a successful install, and node_modules still there
  const complete = () => existsSync(marker) && existsSync(join(cacheDir, 'node_modules'));
  await mkdir(INSTALL_CACHE_ROOT, { recursive: true });
  if (!complete()) {
    await acquireLock(lock, timeoutMs);
    try {
      if (!complete()) {
        await rm(cacheDir, { recursive: true, force: true }); // a half-finished earlier attempt
        await mkdir(cacheDir, { recursive: true });
        await writeFile(join(cacheDir, 'package.json'), `${JSON.stringify(installManifest(pkg), null, 2)}\n`);
        const result = await runProcess('npm', ['install', '--no-audit', '--no-fund'], {
          cwd: cacheDir,
          env: childEnv({ CI: undefined, npm_config_loglevel: 'error', ...env }),
          timeoutMs,
        });
        if (result.code !== 0)
          throw new Error(`npm install of the generated dependencies failed: ${describeRun(result)}`);
        await writeFile(marker, new Date().toISOString());
        installed = true;
      }
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }

  const link = join(appDir, 'node_modules');
  const existing = await lstat(link).catch(() => undefined);
  if (existing) await rm(link, { recursive: true, force: true });
  await symlink(join(cacheDir, 'node_modules'), link, 'dir');
  return { cacheDir, installed, durationMs: Date.now() - started };
}

/** Takes the lock directory `lock` (waiting while a live process holds it); remove it to release. */
export async function acquireLock(lock: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(lock);
      await writeFile(join(lock, 'pid'), String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // A lock left by a process that no longer exists is stale.
    const owner = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => 'NaN'));
    if (Number.isInteger(owner) && !isAlive(owner)) {
      await rm(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for the install lock ${lock}`);
    await sleep(500);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs an npm script in the app directory (e.g. the app's own `npm test`). */
export function runNpm(
  appDir: string,
  args: string[],
  { env = {}, timeoutMs = 120_000 }: { env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<RunResult> {
  return runProcess('npm', args, { cwd: appDir, env: childEnv({ CI: undefined, ...env }), timeoutMs });
}

/**
 * Runs the app's own `npm test` (with `env` added, e.g. its store's URL) and checks that it passed,
 * ran some tests, and ran only the test files: test/helpers.js (.ts) is no test. `on` ends the message.
 */
export async function assertOwnTestsPass(
  appDir: string,
  { env = {}, on = '' }: { env?: Record<string, string | undefined>; on?: string } = {},
): Promise<void> {
  const result = await runNpm(appDir, ['test'], { env, timeoutMs: 4 * 60_000 });
  assert.equal(result.code, 0, `npm test in the generated app failed${on}: ${describeRun(result)}`);
  // node --test prints "# pass N" (TAP, when piped) or "ℹ pass N" (spec): some tests must have run
  const passed = Number(/^(?:#|ℹ) pass (\d+)$/m.exec(result.stdout)?.[1] ?? 0);
  assert.ok(passed > 0, `the generated app's npm test ran no test:\n${result.stdout}`);
  assert.doesNotMatch(result.stdout, /^\s*(?:# Subtest:|ok \d+ -|✔) \S*helpers\.[jt]s/m, 'test/helpers ran as a test');
}
