// The check of the TLS the generated files set up: testssl.sh, no DHE suite, and every listed
// cipher usable. Row #14.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeRun, runProcess } from '../cli.ts';
import { DOMAIN } from '../constants.ts';
import { type Deployment } from '../security-deployment.ts';
import { runTestssl } from '../testssl.ts';
import { languageOf } from '../security-setups.ts';
import { findTool } from '../tools.ts';
import { type Check } from './steps.ts';

/** #14: testssl.sh, and no DHE. */
export const tlsConfiguration: Check = async (d) => {
  const port = await tlsPortOf(d);
  // DHE suites need Diffie-Hellman parameters that none of the setups ships: none is ever agreed ...
  const dhe = await opensslHandshake(port, [
    '-tls1_2',
    '-cipher',
    'DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305',
  ]);
  assert.notEqual(dhe.code, 0, `a TLS 1.2 handshake offering only DHE suites must fail:\n${describeRun(dhe)}`);
  // ... and so none is listed: every TLS 1.2 cipher the generated file lists is agreed, when offered
  // alone (with the test's RSA certificate: an ECDSA suite needs an ECDSA certificate).
  const listed = await listedCiphers(d);
  if (d.setup.proxy !== 'caddy') assert.ok(listed.length > 0, 'no cipher list found in the generated files');
  for (const cipher of listed.filter((c) => !c.includes('-ECDSA-'))) {
    const alone = await opensslHandshake(port, ['-tls1_2', '-cipher', cipher]);
    assert.equal(
      alone.code,
      0,
      `${cipher} is listed, so a TLS 1.2 handshake offering only it must succeed:\n${describeRun(alone)}`,
    );
    assert.match(
      alone.stdout,
      new RegExp(`Cipher is ${cipher}\\b`),
      `the handshake agreed on ${cipher}:\n${alone.stdout}`,
    );
  }

  const result = await testsslOf(d);
  console.log(`# ${d.setup.id}: testssl.sh took ${result.durationMs} ms, ${result.findings.length} findings`);
  const byId = new Map(result.findings.map((f) => [f.id, f]));
  const finding = (id: string) => {
    const f = byId.get(id);
    assert.ok(f, `testssl reported nothing for ${id}:\n${result.output}`);
    assert.notEqual(f.severity, 'WARN', `testssl could not test ${id}: ${f.finding}\n${result.output}`);
    return f.finding;
  };
  for (const id of ['SSLv2', 'SSLv3', 'TLS1', 'TLS1_1'])
    assert.match(finding(id), /^not offered/, `${id} must not be offered: ${finding(id)}`);
  for (const id of ['TLS1_2', 'TLS1_3'])
    assert.match(finding(id), /^offered/, `${id} should be offered: ${finding(id)}`);
  for (const id of [
    'cipherlist_NULL',
    'cipherlist_aNULL',
    'cipherlist_EXPORT',
    'cipherlist_LOW',
    'cipherlist_3DES_IDEA',
  ]) {
    assert.match(finding(id), /^not offered/, `${id} must not be offered: ${finding(id)}`);
  }
  for (const id of [
    'heartbleed',
    'CCS',
    'ROBOT',
    'POODLE_SSL',
    'SWEET32',
    'FREAK',
    'DROWN',
    'LOGJAM',
    'BEAST',
    'LUCKY13',
    'RC4',
  ])
    finding(id); // the scan ran them
  const serious = result.findings.filter((f) => f.severity === 'HIGH' || f.severity === 'CRITICAL');
  assert.deepEqual(
    serious.map((f) => `${f.id}: ${f.severity} ${f.finding}`),
    [],
    'testssl.sh found HIGH or CRITICAL problems',
  );
  // Shown, not failed: LOW/MEDIUM findings, and the checks testssl could not run. Its renegotiation
  // probe sends no SNI, and both nginx (the default server's ssl_reject_handshake) and Caddy refuse a
  // handshake without a name they have a certificate for: a WARN "handshake didn't succeed".
  for (const f of result.findings.filter((x) => !['OK', 'INFO'].includes(x.severity)))
    console.log(`# ${d.setup.id}: testssl ${f.id}: ${f.severity} ${f.finding}`);
};

/**
 * Where the setup's TLS is tested: the front's TLS port, or for `none` the short app's own (the same generated TLS
 * code, never restarted).
 */
async function tlsPortOf(d: Deployment): Promise<number> {
  return d.setup.proxy === 'none' ? (await d.short()).instance.tlsPort : d.main.tlsPort;
}

/**
 * `openssl s_client` to 127.0.0.1:`port` with the test domain as SNI and `args`; its exit code is 0 when the handshake
 * succeeded.
 */
function opensslHandshake(port: number, args: string[]) {
  const openssl = findTool('openssl') ?? 'openssl';
  return runProcess(openssl, ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', DOMAIN, ...args], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '' },
    timeoutMs: 15_000,
  });
}

/**
 * The TLS 1.2 ciphers the generated files list: deploy/nginx.conf's ssl_ciphers, the none app's list; Caddy lists none.
 */
async function listedCiphers(d: Deployment): Promise<string[]> {
  switch (d.setup.proxy) {
    case 'nginx': {
      const conf = await readFile(join(d.app.dir, 'deploy', 'nginx.conf'), 'utf8');
      return [...new Set([...conf.matchAll(/^\s*ssl_ciphers (\S+);$/gm)].flatMap((m) => m[1]!.split(':')))];
    }
    case 'none': {
      const ext = languageOf(d.setup) === 'typescript' ? 'ts' : 'js';
      const source = await readFile(join(d.app.dir, 'src', `http-server.${ext}`), 'utf8');
      const list = /const MOZILLA_INTERMEDIATE_CIPHERS = \[([^\]]*)\]/.exec(source)?.[1] ?? '';
      return [...list.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
    }
    default:
      return [];
  }
}

/**
 * testssl.sh on the setup's TLS, once (it takes 20-40 s, so the suite starts it right after the
 * deployment and the other tests run meanwhile): the front's TLS port, or for `none` the app's own,
 * on the short app's instance (the same generated TLS code), which no test restarts.
 */
export function testsslOf(d: Deployment) {
  return d.memo('testssl', async () => runTestssl({ hostname: DOMAIN, port: await tlsPortOf(d) }));
}
