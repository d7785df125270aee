// The check that the generated app's own `npm run verify` passes against its deployment. Row #24.
import assert from 'node:assert/strict';
import { describeRun } from '../cli.ts';
import type { Deployment } from '../security-deployment.ts';
import { reportOf, runVerify, VERIFY_CHECK_IDS } from '../verify-run.ts';
import { type Check } from './steps.ts';

/** The checks that cannot hold on a setup, which `verify` reports as not checked (with the reason) rather than fail. */
const NOT_POSSIBLE: Partial<Record<Deployment['setup']['proxy'], readonly string[]>> = {
  none: ['unknown-host'],
};

/** #24: `npm run verify` against the deployment's front: exit 0, every check passed, in text and in --json. */
export const ownVerifier: Check = async (d) => {
  const notPossible = NOT_POSSIBLE[d.setup.proxy] ?? [];
  const target = { httpsPort: d.main.tlsPort, httpPort: d.main.httpPort, caFile: d.cert.certPath };

  const json = await runVerify(d.app.dir, { ...target, args: ['--json'] });
  assert.equal(json.code, 0, `verify --json should pass:\n${describeRun(json)}`);
  const report = reportOf(json);
  assert.equal(report.ok, true);
  assert.equal(report.insecure, false);
  assert.deepEqual(
    report.checks.map((c) => c.id),
    [...VERIFY_CHECK_IDS],
    'verify reports every check, in order',
  );
  for (const check of report.checks) {
    const expected = notPossible.includes(check.id) ? 'skip' : 'pass';
    assert.equal(check.status, expected, `${check.id}: ${JSON.stringify(check)}`);
    if (expected === 'skip') assert.ok(check.detail, `${check.id} says why it is not checked`);
  }

  const text = await runVerify(d.app.dir, target);
  assert.equal(text.code, 0, `verify should pass:\n${describeRun(text)}`);
  const lines = text.stdout.trim().split('\n');
  assert.match(lines[0]!, /^Verifying https:\/\//);
  const checkLines = lines.slice(1, -1);
  assert.deepEqual(
    checkLines.map((line) => line.slice(0, 2)),
    VERIFY_CHECK_IDS.map((id) => (notPossible.includes(id) ? '– ' : '✓ ')),
    `one line per check, each ✓:\n${text.stdout}`,
  );
  assert.match(lines.at(-1)!, /0 failed.*the deployment passes$/);
  console.log(`# ${d.setup.id}: npm run verify took ${text.durationMs} ms`);
};
