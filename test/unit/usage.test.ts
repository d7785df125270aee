// README.md's usage block is what --help prints, both from the options table.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { helpText, parseArgs } from '../../src/cli-args.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { readmeUsageBlock, USAGE_END, USAGE_START } from '../helpers/readme-usage.ts';

/** What `--help` writes to stdout, as the CLI runs it (stdout here is a pipe, as in CI). */
function printedHelp(): string {
  let printed = '';
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => ((printed += chunk), true)) as typeof process.stdout.write;
  try {
    assert.deepEqual(parseArgs(['--help'], '1.2.3'), { kind: 'exit', code: 0 });
  } finally {
    process.stdout.write = write;
  }
  return printed;
}

describe('the usage in README.md', () => {
  it('is --help as a pipe prints it, flag for flag', () => {
    assert.equal(printedHelp(), helpText());
    for (const flag of ['--store <name>', '--pm <name>', '--no-git', '--trust-proxy <hops|loopback|ip,cidr,…>']) {
      assert.ok(helpText().includes(flag), flag);
    }
  });

  it('is exactly the generated block (print it: node --import tsx test/helpers/readme-usage.ts)', async () => {
    const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
    const from = readme.indexOf(USAGE_START);
    const to = readme.indexOf(USAGE_END);
    assert.ok(from !== -1 && to > from, `README.md should hold the usage block between the markers ${USAGE_START}`);
    const block = readme.slice(from + USAGE_START.length, to).trim();
    const expected = readmeUsageBlock();
    assert.equal(block, expected, `README.md's usage block differs from --help; it should read:\n\n${expected}\n`);
  });
});
