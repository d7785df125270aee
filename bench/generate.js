// Prints how long a `--yes --no-install --no-git` generation takes next to `node -e 0` (Node's own
// start-up) on this machine: figures to read, not a pass/fail test. Run: npm run bench:generate
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const runs = Number(process.env.RUNS ?? 20);
const cli = fileURLToPath(new URL('../bin/create-secure-session-app.js', import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), 'cssa-bench-'));

function time(label, makeArgs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, makeArgs(i), { cwd: work, stdio: 'ignore' });
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (result.status !== 0) throw new Error(`${label} exited ${result.status}`);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)];
  const p90 = samples[Math.floor(samples.length * 0.9)];
  console.log(`${label.padEnd(40)} median ${median.toFixed(1).padStart(7)} ms   p90 ${p90.toFixed(1).padStart(7)} ms`);
  return median;
}

try {
  console.log(`node ${process.version}, ${runs} runs each`);
  const baseline = time('node -e 0', () => ['-e', '0']);
  const generate = time('generate --yes --no-install --no-git', (i) => [
    cli,
    `app-${i}`,
    '--yes',
    '--no-install',
    '--no-git',
  ]);
  console.log(
    `generation costs ${(generate - baseline).toFixed(1)} ms ` +
      `over Node's start-up (${(generate / baseline).toFixed(2)}x)`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
