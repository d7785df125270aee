// README.md's performance figures are the rendering of the committed bench results, never edited by
// hand: after a bench run, `npm run bench:readme` brings them back in line.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { currentBlock, renderBlock, replaceBlock } from '../../bench/render.ts';
import { BENCHES, loadResults } from '../../bench/results.ts';
import { REPO_ROOT } from '../helpers/paths.ts';

test("README.md's performance block is the rendering of bench/results/*.json", () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const expected = renderBlock(Object.fromEntries(BENCHES.map((b) => [b, loadResults(b)])));
  assert.equal(currentBlock(readme), expected, 'run npm run bench:readme');
});

test('a bench not yet saved gets a line saying how to measure it, and the block replaces only itself', () => {
  const block = renderBlock({});
  for (const bench of BENCHES) assert.match(block, new RegExp(`npm run bench:${bench}\` saves`));
  const readme = `before\n${renderBlock({})}\nafter\n`;
  assert.equal(replaceBlock(readme, 'X'), 'before\nX\nafter\n');
  assert.throws(() => replaceBlock('no markers', 'X'), /no bench:begin/);
});
