// On a Node older than 22.12 (here Node 20, end-of-life, from the npm registry) the CLI refuses to
// run before touching the disk: one line naming the Node it needs, exit 2, and with --json the same
// as a JSON object on stdout.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { obtainNode, type NodeRuntime } from '../helpers/node-runtimes.ts';
import { makeTempDir } from '../helpers/paths.ts';

describe('on Node 20', () => {
  let node20: NodeRuntime;
  let tmp: { path: string; remove: () => Promise<void> };

  before(
    async () => {
      node20 = await obtainNode(20);
      tmp = await makeTempDir('old-node');
    },
    { timeout: 5 * 60_000 },
  );
  after(() => tmp?.remove());

  it('exits 2 with one line naming Node 22.12, and writes nothing', async () => {
    const result = await runCli(['my-app', '--yes', '--no-install', '--no-git'], {
      cwd: tmp.path,
      nodePath: node20.nodePath,
    });
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      new RegExp(
        String.raw`^error: create-secure-session-app needs Node\.js 22\.12 or newer \(22, 24 or ` +
          String.raw`26\); this is v20\.\d+\.\d+\. Install a maintained Node\.js and run it again\.\n$`,
      ),
    );
    assert.deepEqual(await readdir(tmp.path), []);
  });

  it('says the same as JSON on stdout with --json', async () => {
    const result = await runCli(['my-app', '--yes', '--json'], { cwd: tmp.path, nodePath: node20.nodePath });
    assert.equal(result.code, 2);
    const json = JSON.parse(result.stdout);
    assert.equal(json.ok, false);
    assert.equal(json.exitCode, 2);
    assert.match(json.error.message, /needs Node\.js 22\.12 or newer/);
    assert.deepEqual(await readdir(tmp.path), []);
  });
});
