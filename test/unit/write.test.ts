import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countsAsEmpty } from '../../src/write.ts';

describe('which target directory counts as empty', () => {
  it('one with nothing in it, or only what git, Finder or Explorer leave there', () => {
    for (const entries of [[], ['.git'], ['.DS_Store'], ['Thumbs.db'], ['.git', '.DS_Store', 'Thumbs.db']]) {
      assert.equal(countsAsEmpty(entries), true, JSON.stringify(entries));
    }
  });

  it('not one with anything else, however small or hidden', () => {
    const others = [['.gitignore'], ['.env'], ['README.md'], ['.git.bak'], ['thumbs.db.txt']];
    for (const entries of [...others, ['.git', 'package.json'], ['.DS_Store', '.github']]) {
      assert.equal(countsAsEmpty(entries), false, JSON.stringify(entries));
    }
  });
});
