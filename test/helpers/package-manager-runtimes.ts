// The package managers a user creates an app with, each pinned to an exact version in the one table
// below, and the command line a user types to create an app with each (README.md's "Usage" shows
// the same lines). npm comes with Node; the others come from the npm registry, each installed once
// into <tmp>/cssa-package-managers/<package>-<version> and reused (install-once.ts).
import { existsSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { childEnv, runProcess } from './cli.ts';
import { installOnce } from './install-once.ts';
import { makeTempDir } from './paths.ts';
import { findTool } from './tools.ts';

export interface PackageManagerRuntime {
  /** How the tests name it: "pnpm 12". */
  name: string;
  /** The CLI's --pm value for it, and the program a user runs. */
  pm: 'npm' | 'pnpm' | 'yarn' | 'bun';
  /** Its npm package, pinned exactly; none for npm, which comes with Node. */
  install?: { package: string; version: string };
  /**
   * The words after the program that create an app, as a user types them. npm needs `--` before
   * the CLI's flags, or it takes them as its own (`--yes`, `--store`); pnpm and bun pass a `--` on
   * to the CLI, which then reads every flag after it as a directory name; yarn 1 drops it.
   */
  create(dir: string, flags: readonly string[]): string[];
  /** The words that run the app's dev and start scripts. */
  dev: string[];
  start: string[];
  lockfile: string;
}

export const PACKAGE_MANAGER_RUNTIMES: readonly PackageManagerRuntime[] = [
  {
    name: 'npm',
    pm: 'npm',
    create: (dir, flags) => ['create', 'secure-session-app@latest', dir, '--', ...flags],
    dev: ['run', 'dev'],
    start: ['start'],
    lockfile: 'package-lock.json',
  },
  {
    name: 'pnpm 10',
    pm: 'pnpm',
    install: { package: 'pnpm', version: '10.34.9' },
    create: (dir, flags) => ['create', 'secure-session-app@latest', dir, ...flags],
    dev: ['dev'],
    start: ['start'],
    lockfile: 'pnpm-lock.yaml',
  },
  {
    name: 'pnpm 12',
    pm: 'pnpm',
    install: { package: 'pnpm', version: '12.21.0' },
    create: (dir, flags) => ['create', 'secure-session-app@latest', dir, ...flags],
    dev: ['dev'],
    start: ['start'],
    lockfile: 'pnpm-lock.yaml',
  },
  {
    name: 'yarn 1',
    pm: 'yarn',
    install: { package: 'yarn', version: '1.22.22' },
    create: (dir, flags) => ['create', 'secure-session-app', dir, ...flags],
    dev: ['dev'],
    start: ['start'],
    lockfile: 'yarn.lock',
  },
  {
    name: 'bun',
    pm: 'bun',
    install: { package: 'bun', version: '1.4.5' },
    create: (dir, flags) => ['create', 'secure-session-app', dir, ...flags],
    dev: ['run', 'dev'],
    start: ['run', 'start'],
    lockfile: 'bun.lock',
  },
];

/** The create command line as README.md shows it. */
export function createCommand(runtime: PackageManagerRuntime, dir: string, flags: readonly string[]): string {
  return [runtime.pm, ...runtime.create(dir, flags)].join(' ');
}

export const PACKAGE_MANAGERS_ROOT = join(tmpdir(), 'cssa-package-managers');

export interface ObtainedPackageManager {
  runtime: PackageManagerRuntime;
  /** The directory holding its executable, to put first on PATH. */
  binDir: string;
  /** What `<pm> --version` says. */
  version: string;
  /** False when it came from an earlier install (or is npm). */
  downloaded: boolean;
}

/** The package manager of `runtime`, installed once (npm: the one on PATH, which comes with Node). */
export async function obtainPackageManager(runtime: PackageManagerRuntime): Promise<ObtainedPackageManager> {
  let binDir: string;
  let downloaded = false;
  if (runtime.install === undefined) {
    const npm = findTool('npm');
    if (npm === undefined) throw new Error('npm is not on PATH');
    binDir = dirname(npm);
  } else {
    const { package: name, version } = runtime.install;
    const dir = join(PACKAGE_MANAGERS_ROOT, `${name}-${version}`);
    binDir = join(dir, 'node_modules', '.bin');
    const manifest = {
      name: `cssa-${name}-${version.replace(/\./g, '-')}`,
      version: '0.0.0',
      private: true,
      dependencies: { [name]: version },
      // as a global install would: pnpm's and bun's install scripts put their native binary in place
      allowScripts: { [name]: true },
    };
    downloaded = await installOnce(dir, manifest, {
      what: `${name}@${version}`,
      ready: () => existsSync(join(binDir, runtime.pm)),
    });
  }
  // Even --version writes caches and temp dirs (yarn 1: /usr/local/share/.cache as root): a scratch HOME and TMPDIR
  const scratch = await makeTempDir('pm-version');
  const result = await runProcess(join(binDir, runtime.pm), ['--version'], {
    cwd: scratch.path,
    env: childEnv({
      CI: undefined,
      HOME: scratch.path,
      TMPDIR: scratch.path,
      YARN_CACHE_FOLDER: join(scratch.path, 'yarn'),
    }),
    timeoutMs: 30_000,
  }).finally(() => scratch.remove());
  const version = result.stdout.trim();
  if (result.code !== 0 || (runtime.install && version !== runtime.install.version)) {
    throw new Error(
      `${join(binDir, runtime.pm)} --version said ${JSON.stringify(version)} (exit ` +
        `${result.code}), not ${runtime.install?.version ?? 'a version'}: ${result.stderr}`,
    );
  }
  return { runtime, binDir, version, downloaded };
}

/**
 * Download caches kept between runs: what they hold is keyed on content or on name@version (bun's is not shared:
 * below).
 */
const CACHE_ROOT = join(PACKAGE_MANAGERS_ROOT, 'cache');

/** Environment variables that point a package manager somewhere: none may leak in from an outer run. */
const MANAGER_VARIABLE = /^(npm_|yarn_|pnpm_|bun_|xdg_|init_cwd$)/i;

/**
 * The environment a user of `manager` would have, with nothing of this machine's package-manager
 * state: a fresh HOME (so no ~/.npmrc, global folders or config of ours) and TMPDIR, the manager
 * first on PATH, `registry` as its registry, download caches that are safe to share between runs,
 * and a git identity for the first commit.
 */
export function managerEnv(
  manager: ObtainedPackageManager,
  { home, tmp, registry, ci }: { home: string; tmp: string; registry: string; ci: boolean },
): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(childEnv({ CI: undefined })))
    if (!MANAGER_VARIABLE.test(key)) base[key] = value;
  const nodedir = nodeHeaders();
  return {
    ...base,
    PATH: [dirname(process.execPath), manager.binDir, process.env.PATH ?? ''].join(delimiter),
    HOME: home,
    TMPDIR: tmp,
    ...(ci ? { CI: 'true' } : {}),
    // npm, yarn 1 and bun read npm_config_registry; pnpm 12 reads pnpm_config_registry
    npm_config_registry: registry,
    pnpm_config_registry: registry,
    npm_config_cache: join(CACHE_ROOT, 'npm'),
    npm_config_update_notifier: 'false',
    ...(manager.runtime.pm === 'pnpm'
      ? { npm_config_store_dir: join(CACHE_ROOT, 'pnpm'), pnpm_config_store_dir: join(CACHE_ROOT, 'pnpm') }
      : {}),
    // yarn 1's global folder (where `yarn create` installs the CLI, and node-gyp) and its bin links
    // would be the machine's (/usr/local for root): this run's own instead
    YARN_CACHE_FOLDER: join(CACHE_ROOT, 'yarn'),
    YARN_GLOBAL_FOLDER: join(home, 'yarn-global'),
    YARN_PREFIX: join(home, 'yarn-prefix'),
    // not shared: `bun create` (bunx) keeps the CLI it installed in .bunx-<uid>/ there, and runs that
    // again without asking the registry
    BUN_INSTALL_CACHE_DIR: join(home, 'bun-cache'),
    // node-gyp (yarn 1 runs it) compiles against this Node's headers, never downloads them
    ...(nodedir ? { npm_config_nodedir: nodedir } : {}),
    GIT_AUTHOR_NAME: 'Test User',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test User',
    GIT_COMMITTER_EMAIL: 'test@example.com',
  };
}

/** This Node's headers (for node-gyp): npm_config_nodedir as given, else the install prefix when it has them. */
function nodeHeaders(): string | undefined {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const prefix = dirname(dirname(realpathSync(process.execPath)));
  return existsSync(join(prefix, 'include', 'node', 'node.h')) ? prefix : undefined;
}
