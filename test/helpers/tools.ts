// Which external programs (servers, openssl) the suite can use, and the one rule for a missing one:
// under CI the test FAILS (CI must install what it needs); on a developer's machine it is SKIPPED
// with a reason, so someone with only Node and npm can still run the rest of the suite.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { it } from 'node:test';

/** Directories searched besides PATH: Debian puts nginx in /usr/sbin, which a non-root PATH lacks. */
const EXTRA_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** Absolute path of an executable named `name`, or undefined. */
export function findTool(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface Tool {
  name: string;
  /** Absolute path; only meaningful when `available`. */
  path: string;
  available: boolean;
  /**
   * Pass as `{ skip }` to `describe`/`it`: a reason string when the tool is missing outside CI,
   * `false` otherwise (present, or missing under CI, where the test must run and fail).
   */
  skip: string | false;
  /** Throws a clear error when the tool is missing. */
  assert(): void;
  /** Why a suite that needs the tool cannot run, or false when it can. */
  unavailable: string | false;
}

const INSTALL_HINT: Record<string, string> = {
  nginx: 'apt-get install -y nginx',
  caddy: 'apt-get install -y caddy',
  openssl: 'apt-get install -y openssl',
  chromium: 'apt-get install -y chromium',
  testssl: 'apt-get install -y testssl.sh',
  'redis-server': 'apt-get install -y redis-server',
  'redis-cli': 'apt-get install -y redis-tools',
  'redis-sentinel': 'apt-get install -y redis-sentinel',
};

export function requireTool(name: string): Tool {
  const path = findTool(name);
  const hint = INSTALL_HINT[name] ? ` (install it: ${INSTALL_HINT[name]})` : '';
  const reason = `${name} is not installed${hint}`;
  const inCi = Boolean(process.env.CI);
  return {
    name,
    path: path ?? name,
    available: path !== undefined,
    skip: path === undefined && !inCi ? `${reason}; skipped outside CI` : false,
    assert() {
      if (path === undefined) throw new Error(`${reason}; CI is set, so this is a failure, not a skip`);
    },
    unavailable: path === undefined ? reason : false,
  };
}

/** Several tools at once: skipped if any is missing (outside CI), asserting all of them. */
export function requireTools(...names: string[]): Tool {
  const tools = names.map(requireTool);
  const missing = tools.filter((t) => !t.available);
  return {
    name: names.join('+'),
    path: '',
    available: missing.length === 0,
    skip: missing.find((t) => t.skip)?.skip ?? false,
    assert() {
      for (const t of tools) t.assert();
    },
    unavailable: missing.length === 0 ? false : missing.map((t) => t.unavailable).join('; '),
  };
}

/**
 * The rule in one place. Registers a test "needs <tools>" that passes when they are installed,
 * FAILS under CI when one is missing and is skipped (with the reason) otherwise; returns the
 * options for the suite that uses them, skipped whenever a tool is missing so that its hooks never
 * run without it. A failure in a suite's `before` would only count as "cancelled", hence the
 * separate test.
 *
 *   describe('...', needsTools('nginx', 'openssl'), () => { ... })
 */
export function needsTools(...names: string[]): { skip: string | false } {
  const tool = requireTools(...names);
  it(`needs ${names.join(', ')}`, { skip: tool.skip }, () => tool.assert());
  return { skip: tool.unavailable === false ? false : `${tool.unavailable} (see "needs ${names.join(', ')}")` };
}

/**
 * The same rule for something that is not a program on PATH, e.g. a server that must answer on
 * 127.0.0.1: `unavailable` is why it cannot be used (checked by the caller), or false. Registers
 * "needs <what>" and returns the suite options, like needsTools.
 */
export function needs(what: string, unavailable: string | false): { skip: string | false } {
  const inCi = Boolean(process.env.CI);
  it(`needs ${what}`, { skip: unavailable !== false && !inCi ? `${unavailable}; skipped outside CI` : false }, () => {
    if (unavailable !== false) throw new Error(`${unavailable}; CI is set, so this is a failure, not a skip`);
  });
  return { skip: unavailable === false ? false : `${unavailable} (see "needs ${what}")` };
}
