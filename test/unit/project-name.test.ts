import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { resolveTarget, suggestName } from '../../src/project-name.ts';

describe('project names', () => {
  it('uses the directory name as the package name', () => {
    assert.deepEqual(resolveTarget('my-app', '/work'), { dir: '/work/my-app', packageName: 'my-app' });
    assert.deepEqual(resolveTarget('apps/api', '/work'), { dir: '/work/apps/api', packageName: 'api' });
  });

  it('writes a scoped name to a directory without the scope', () => {
    assert.deepEqual(resolveTarget('@acme/api', '/work'), { dir: path.resolve('/work/api'), packageName: '@acme/api' });
  });

  for (const bad of [
    'My App',
    'x~y',
    'MyApp',
    '.hidden',
    '_private',
    'node_modules',
    'favicon.ico',
    'http',
    'a'.repeat(215),
  ]) {
    it(`refuses ${JSON.stringify(bad.slice(0, 20))} with a suggestion that is accepted`, () => {
      assert.throws(() => resolveTarget(bad, '/work'), /Invalid project name .*Try "/);
      assert.doesNotThrow(() => resolveTarget(suggestName(bad), '/work'));
    });
  }

  it('suggests a valid name', () => {
    assert.equal(suggestName('My App'), 'my-app');
    assert.equal(suggestName('.hidden'), 'hidden');
    assert.equal(suggestName('http'), 'http-app');
  });
});
