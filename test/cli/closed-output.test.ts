// A reader that stops early (`| head -1`) closes the CLI's stdout: that is no failure of the run. No
// stack trace, and the exit code is the run's own (0 when the project was written), through real pipes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { STACK_LINE } from '../helpers/assertions.ts';
import { childEnv, describeRun, runProcess } from '../helpers/cli.ts';
import { CLI_BIN, caseDirs } from '../helpers/paths.ts';
import { track } from '../helpers/processes.ts';
import { needsTools } from '../helpers/tools.ts';

const BASE = ['--yes', '--no-install', '--no-git'];
const ENV = childEnv({ CI: undefined });

describe('a closed stdout is not an error', needsTools('bash', 'head'), () => {
  const { emptyDir } = caseDirs('closed-output');

  /**
   * `<cli> <args> <redirect> | head -1` in bash with pipefail, so the pipeline's status is the CLI's
   * (head exits 0). The CLI's stderr goes to a file unless `redirect` sends it down the pipe too.
   */
  async function pipedToHead(cwd: string, args: string[], redirect = '2>stderr.txt') {
    const script = `set -o pipefail; "$0" "$@" ${redirect} | head -1 > first-line.txt`;
    const result = await runProcess('bash', ['-c', script, process.execPath, CLI_BIN, ...args], {
      cwd,
      env: ENV,
      timeoutMs: 30_000,
    });
    const read = (name: string) => readFile(join(cwd, name), 'utf8').catch(() => '');
    return { ...result, stderr: `${result.stderr}${await read('stderr.txt')}`, first: await read('first-line.txt') };
  }

  it('--dry-run | head -1: the first line, exit 0, no trace', async () => {
    const cwd = await emptyDir();
    const result = await pipedToHead(cwd, ['my-app', '--dry-run', ...BASE]);
    assert.equal(result.code, 0, describeRun(result));
    assert.match(result.first, /^Would write \d+ files to /);
    assert.doesNotMatch(result.stderr, STACK_LINE);
    assert.doesNotMatch(result.stderr, /EPIPE/);
    assert.deepEqual((await readdir(cwd)).sort(), ['first-line.txt', 'stderr.txt']);
  });

  it('a run | head -1: the project is written, exit 0, no trace', async () => {
    const cwd = await emptyDir();
    const result = await pipedToHead(cwd, ['my-app', ...BASE]);
    assert.equal(result.code, 0, describeRun(result));
    assert.match(result.stderr, /Wrote \d+ files/);
    assert.doesNotMatch(result.stderr, STACK_LINE);
    assert.doesNotMatch(result.stderr, /EPIPE/);
    assert.ok(existsSync(join(cwd, 'my-app', 'package.json')), 'the project was written');
  });

  it('a run 2>&1 | head -1: stderr closed too, still exit 0 with the project written', async () => {
    const cwd = await emptyDir();
    const result = await pipedToHead(cwd, ['my-app', ...BASE], '2>&1');
    assert.equal(result.code, 0, describeRun(result));
    assert.match(result.first, /Wrote \d+ files/);
    assert.ok(existsSync(join(cwd, 'my-app', 'package.json')), 'the project was written');
  });

  // The reader is gone before the CLI writes its first byte, so every write meets EPIPE, whatever the timing.
  for (const extra of [[], ['--json'], ['--dry-run']]) {
    it(
      `stdout closed before the first ` + `write${extra.length ? ` (${extra.join(' ')})` : ''}: exit 0, no trace`,
      async () => {
        const cwd = await emptyDir();
        const child = track(
          spawn(process.execPath, [CLI_BIN, 'my-app', ...BASE, ...extra], {
            cwd,
            env: ENV,
            stdio: ['ignore', 'pipe', 'pipe'],
          }),
        );
        child.stdout!.destroy();
        let stderr = '';
        child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
        // 'close': the process has exited and its stderr is read to the end.
        const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
        assert.equal(code, 0, stderr);
        assert.doesNotMatch(stderr, STACK_LINE);
        assert.doesNotMatch(stderr, /EPIPE/);
        assert.equal(existsSync(join(cwd, 'my-app', 'package.json')), !extra.includes('--dry-run'));
      },
    );
  }
});
