// testssl.sh (Debian package testssl.sh, command `testssl`) against a TLS server on 127.0.0.1,
// offline: no DNS lookups (`--nodns none`, `--ip`), the test domain sent as SNI, bounded timeouts.
// Its flat JSON output (one object per finding) is parsed and returned.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from './paths.ts';
import { exited, terminate, track } from './processes.ts';
import { findTool } from './tools.ts';

export interface TestsslFinding {
  id: string;
  ip: string;
  port: string;
  /** OK, INFO, LOW, MEDIUM, HIGH, CRITICAL, or WARN / DEBUG for problems of the scan itself. */
  severity: string;
  finding: string;
  cve?: string;
  cwe?: string;
}

export interface TestsslResult {
  findings: TestsslFinding[];
  durationMs: number;
  /** What testssl printed (its report as text). */
  output: string;
  code: number | null;
}

/** The checks the security suite needs: offered protocols, cipher categories, known vulnerabilities. */
export const TESTSSL_CHECKS = ['--protocols', '--std', '--vulnerable'];

export async function runTestssl(o: {
  hostname: string;
  port: number;
  ip?: string;
  checks?: string[];
  timeoutMs?: number;
}): Promise<TestsslResult> {
  const { hostname, port, ip = '127.0.0.1', checks = TESTSSL_CHECKS, timeoutMs = 240_000 } = o;
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip)) throw new Error(`testssl: refusing non-loopback address ${ip}`);
  const tmp = await makeTempDir('testssl');
  const jsonfile = join(tmp.path, 'findings.json');
  const args = [
    '--quiet', // no banner (acknowledges its usage terms)
    '--color',
    '0',
    '--warnings',
    'off', // never stop to ask
    '--nodns',
    'none', // no DNS lookups at all: the address comes from --ip
    '--ip',
    ip,
    '--connect-timeout',
    '5',
    '--openssl-timeout',
    '5',
    '--jsonfile',
    jsonfile,
    ...checks,
    `${hostname}:${port}`,
  ];
  const started = Date.now();
  // its own process group, so a timeout also ends the openssl processes it started
  const child = track(
    spawn(findTool('testssl') ?? 'testssl', args, {
      cwd: tmp.path,
      env: { PATH: process.env.PATH ?? '', HOME: tmp.path, TERM: 'dumb' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    }),
    { group: true },
  );
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void terminate(child, 2000);
  }, timeoutMs);
  try {
    const { code } = await exited(child);
    clearTimeout(timer);
    if (timedOut) throw new Error(`testssl did not finish within ${timeoutMs} ms (killed)\n${output}`);
    const text = await readFile(jsonfile, 'utf8').catch(() => undefined);
    if (text === undefined) throw new Error(`testssl wrote no JSON (exit ${code})\n${output}`);
    const findings = JSON.parse(text) as TestsslFinding[];
    if (!Array.isArray(findings) || findings.length === 0)
      throw new Error(`testssl's JSON has no findings (exit ${code})\n${output}`);
    return { findings, durationMs: Date.now() - started, output, code };
  } finally {
    clearTimeout(timer);
    await terminate(child, 1000);
    await tmp.remove();
  }
}
