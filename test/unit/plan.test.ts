import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { outputPath, planProject } from '../../src/plan.ts';
import { optionsWith, secrets, target } from '../helpers/plan.ts';

const templates = {
  base: ['README.md.ejs', '_gitignore', 'src/app.js.ejs', 'src/store.js.ejs', 'public/index.html'],
  'stores/sqlite': ['src/store.js.ejs', 'src/sqlite-store.js'],
  'stores/memory': ['src/store.js.ejs'],
  'proxies/_tls-proxy': [],
  'proxies/nginx': ['deploy/nginx.conf.ejs'],
  'proxies/none': [],
};

describe('planProject', () => {
  it('names output files from template files', () => {
    assert.equal(outputPath('src/app.js.ejs'), 'src/app.js');
    // TypeScript templates give the JavaScript app their JavaScript twins
    assert.equal(outputPath('src/server.ts'), 'src/server.js');
    assert.equal(outputPath('src/config.ts.ejs'), 'src/config.js');
    assert.equal(outputPath('_gitignore'), '.gitignore');
    assert.equal(outputPath('_gitignore.ejs'), '.gitignore');
    assert.equal(outputPath('public/index.html'), 'public/index.html');
  });

  it('lays the store and proxy over the base', () => {
    const plan = planProject(optionsWith(), target, templates, secrets);
    const paths = plan.files.map((file) => file.path);
    assert.deepEqual(paths, [
      '.env',
      '.gitignore',
      'README.md',
      'deploy/nginx.conf',
      'package.json',
      'public/index.html',
      'src/app.js',
      'src/sqlite-store.js',
      'src/store.js',
    ]);
    const store = plan.files.find((file) => file.path === 'src/store.js')!;
    assert.deepEqual(store.source, { kind: 'template', layer: 'stores/sqlite', file: 'src/store.js.ejs' });
  });

  it('writes no proxy config without a proxy, and no SQLite module for memory', () => {
    const paths = planProject(optionsWith({ proxy: 'none', store: 'memory' }), target, templates, secrets).files.map(
      (f) => f.path,
    );
    assert.ok(!paths.includes('deploy/nginx.conf'));
    assert.ok(!paths.includes('src/sqlite-store.js'));
  });

  it('keeps the development secrets in a .env readable by the owner only', () => {
    const env = planProject(optionsWith(), target, templates, secrets).files.find((file) => file.path === '.env')!;
    assert.equal(env.mode, 0o600);
    // .env.example filled in, as the generated `npm run setup` does it
    assert.deepEqual(env.source, {
      kind: 'env',
      from: '.env.example',
      values: { NODE_ENV: 'development', SESSION_SECRET: secrets.sessionSecret, DEMO_PASSWORD: secrets.demoPassword },
    });
  });

  it('builds package.json with cross-platform scripts and the store dependency', () => {
    const file = planProject(optionsWith(), target, templates, secrets).files.find((f) => f.path === 'package.json')!;
    assert.ok(file.source.kind === 'text');
    const manifest = JSON.parse(file.source.text);
    assert.equal(manifest.name, 'my-app');
    assert.equal(manifest.type, 'module');
    assert.equal(manifest.scripts.start, 'node src/server.js');
    // dev stops with one line naming setup when .env is missing; setup writes it
    assert.equal(manifest.scripts.dev, 'node scripts/check-env.js && node --env-file=.env --watch src/server.js');
    assert.equal(manifest.scripts.setup, 'node scripts/setup.js');
    // only the test files, not test/helpers.js; quoted, so Node expands the glob in every shell and cmd.exe
    assert.equal(manifest.scripts.test, 'node --test "test/*.test.js"');
    for (const script of Object.values(manifest.scripts) as string[]) assert.doesNotMatch(script, /^[A-Z_]+=/);
    // 13: 12 aborts the process under GC on Node 24.19+
    assert.ok(manifest.dependencies['better-sqlite3'].startsWith('^13.'));
    // it ships its binary and says gypfile: false, which npm (the manager of these options) reads
    assert.equal(manifest.allowScripts, undefined);
    assert.equal(manifest.engines.node, '^22.14.0 || ^24.0.0 || ^26.0.0'); // better-sqlite3 13 needs Node-API 10
  });

  it('passes the chosen session settings to the templates', () => {
    const plan = planProject(
      optionsWith({ maxAge: '1h', rolling: false, absoluteTimeout: 'none' }),
      target,
      templates,
      secrets,
    );
    assert.equal(plan.context.session.maxAge.ms, 3_600_000);
    assert.equal(plan.context.session.rolling, false);
    assert.equal(plan.context.session.absoluteTimeout, null);
    assert.equal(plan.context.proxy.host, '127.0.0.1');
  });

  it('is pure: the same input gives the same plan', () => {
    const options = optionsWith();
    const a = planProject(options, target, templates, secrets);
    const b = planProject(options, target, templates, secrets);
    assert.deepEqual(a.files, b.files);
  });
});
