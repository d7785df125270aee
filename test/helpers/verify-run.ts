// The generated app's own `npm run verify`, run as a user runs it against a deployment of it: a
// process in the app's directory, aimed at the test front on 127.0.0.1 (--connect-to) under the test
// domain, the test certificate trusted through NODE_EXTRA_CA_CERTS, and the test account.
import assert from 'node:assert/strict';
import { childEnv, describeRun, runProcess, type RunResult } from './cli.ts';
import { DOMAIN, PASSWORD, USER } from './constants.ts';

export interface VerifyCheck {
  id: string;
  title: string;
  status: 'pass' | 'fail' | 'skip';
  detail?: string;
  cause?: string;
  fix?: string;
}

export interface VerifyReport {
  ok: boolean;
  url: string;
  front: string;
  insecure: boolean;
  checks: VerifyCheck[];
}

/** Every check id, in the order `verify` reports them. */
export const VERIFY_CHECK_IDS = [
  'certificate',
  'https',
  'old-tls',
  'http-redirect',
  'hsts',
  'unknown-host',
  'csrf-cookie',
  'csrf-required',
  'login',
  'session-cookie',
  'new-session-id',
  'logout',
] as const;

export interface VerifyOptions {
  /** The front's HTTPS port on 127.0.0.1. */
  httpsPort: number;
  /** Its plain-HTTP port. */
  httpPort: number;
  /** A certificate file to trust (NODE_EXTRA_CA_CERTS); none: only Node's own CAs. */
  caFile?: string;
  /** More arguments (--insecure, --json, --skip-login). */
  args?: string[];
  /** The account; the test account unless given (null: none). */
  account?: { username: string; password: string } | null;
}

/** npm's arguments for `npm run verify -- <args>`, as a user types them. */
export const npmVerify = (args: readonly string[]) => ['run', '--silent', 'verify', '--', ...args];

/** npm's arguments for verify against the test front (`--connect-to 127.0.0.1 --http-port <n>`), then `args`. */
export function npmVerifyFront(o: Pick<VerifyOptions, 'httpsPort' | 'httpPort' | 'args'>): string[] {
  const front = [`https://${DOMAIN}:${o.httpsPort}`, '--connect-to', '127.0.0.1', '--http-port', String(o.httpPort)];
  return npmVerify([...front, ...(o.args ?? [])]);
}

/** `npm run verify -- https://<DOMAIN>:<port> --connect-to 127.0.0.1 --http-port <n> …` in `appDir`. */
export function runVerify(appDir: string, o: VerifyOptions): Promise<RunResult> {
  const account = o.account === undefined ? { username: USER, password: PASSWORD } : o.account;
  return runProcess('npm', npmVerifyFront(o), {
    cwd: appDir,
    env: childEnv({
      VERIFY_USER: account?.username,
      VERIFY_PASSWORD: account?.password,
      NODE_EXTRA_CA_CERTS: o.caFile,
    }),
    timeoutMs: 60_000,
  });
}

/** `verify --json`'s report, asserting that it printed one. */
export function reportOf(run: RunResult): VerifyReport {
  try {
    return JSON.parse(run.stdout) as VerifyReport;
  } catch {
    assert.fail(`verify --json printed no JSON:\n${describeRun(run)}`);
  }
}

/** The check `id` of a report, asserting that it is there. */
export function checkOf(report: VerifyReport, id: string): VerifyCheck {
  const check = report.checks.find((c) => c.id === id);
  assert.ok(check, `verify reported no check ${id}: ${JSON.stringify(report, null, 2)}`);
  return check;
}
