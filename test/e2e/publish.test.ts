// What `npm publish` would ship, made the way a release is: from a clean `git clone` of this
// repository's committed HEAD (no dist/, which is gitignored; uncommitted changes are not in it),
// packed with `npm pack` (its prepack script builds dist/), installed from the tarball into an empty
// directory and run through `npm exec`, offline. Only node_modules is borrowed from this checkout,
// to save the install.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { childEnv, describeRun, runProcess } from '../helpers/cli.ts';
import { makeTempDir, REPO_ROOT } from '../helpers/paths.ts';
import { findTool, needs } from '../helpers/tools.ts';

const run = async (command: string, args: string[], cwd: string, timeoutMs = 120_000) => {
  const result = await runProcess(command, args, { cwd, env: childEnv({ CI: undefined }), timeoutMs });
  assert.equal(result.code, 0, `${command} ${args.join(' ')} in ${cwd}: ${describeRun(result)}`);
  return result;
};

// A copy of the sources without .git (a downloaded archive) has no HEAD to clone.
const unavailable =
  (['git', 'tar'].filter((tool) => !findTool(tool)).map((tool) => `${tool} is not installed`)[0] ?? false) ||
  (!existsSync(join(REPO_ROOT, '.git')) && `${REPO_ROOT} is not a git checkout`);

describe('the published package, packed from a clean clone', needs('git, tar and a git checkout', unavailable), () => {
  let tmp: { path: string; remove: () => Promise<void> } | undefined;
  let clone: string;
  let tarball: string;
  let packed: string[];
  let pkg: { name: string; version: string; bin: Record<string, string>; license: string };

  before(
    async () => {
      tmp = await makeTempDir('publish');
      clone = join(tmp.path, 'clone');
      const head = (await run('git', ['rev-parse', 'HEAD'], REPO_ROOT)).stdout.trim();
      // HEAD may be on no branch (CI checks out a commit): fetch exactly it.
      await run('git', ['clone', '--quiet', '--no-checkout', REPO_ROOT, clone], tmp.path);
      await run('git', ['fetch', '--quiet', 'origin', head], clone);
      await run('git', ['checkout', '--quiet', '--detach', head], clone);
      console.log(`# packing ${head} (committed HEAD; uncommitted changes are not in it)`);
      assert.equal(existsSync(join(clone, 'dist')), false, 'a clean clone has no dist/');
      await symlink(join(REPO_ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');

      await run('npm', ['pack', '--silent', '--pack-destination', tmp.path], clone);
      const tarballs = (await readdir(tmp.path)).filter((name) => name.endsWith('.tgz'));
      assert.equal(tarballs.length, 1, `one tarball: ${tarballs.join(', ')}`);
      tarball = join(tmp.path, tarballs[0]!);
      packed = (await run('tar', ['-tzf', tarball], tmp.path)).stdout
        .split('\n')
        .filter(Boolean)
        .map((entry) => entry.replace(/^package\//, ''));
      pkg = JSON.parse(await readFile(join(clone, 'package.json'), 'utf8'));
    },
    { timeout: 5 * 60_000 },
  );
  after(() => tmp?.remove());

  it('holds the bin, the bundle, the templates, their JavaScript twins and compiled forms, README and LICENSE', () => {
    const twin = 'dist/templates-js/base/src/server.js';
    const compiled = ['dist/compiled/index.cjs', 'dist/compiled/base.js.cjs', 'dist/compiled/stores/redis.ts.cjs'];
    for (const file of [
      'package.json',
      'README.md',
      'LICENSE',
      'dist/index.js',
      twin,
      ...compiled,
      ...Object.values(pkg.bin),
    ]) {
      assert.ok(packed.includes(file), `${file} is missing from the tarball: ${packed.join(', ')}`);
    }
    for (const file of [
      'templates/base/.env.example.ejs',
      'templates/base/_gitignore.ejs',
      'templates/base/scripts/setup.ts.ejs',
      'templates/base/test/helpers.ts.ejs',
      'templates/base/src/server.ts',
    ]) {
      assert.ok(packed.includes(file), `${file} is missing from the tarball`);
    }
  });

  it("holds nothing else: no tests, the CLI's TypeScript sources, lock file or tool config", () => {
    const dist = String.raw`dist/(index\.js|templates-js/.+\.(js|ejs)|compiled/.+\.cjs)`;
    const allowed = new RegExp(String.raw`^(package\.json|README\.md|LICENSE|bin/[^/]+\.js|${dist}|templates/.+)$`);
    assert.deepEqual(
      packed.filter((file) => !allowed.test(file)),
      [],
    );
    assert.deepEqual(
      packed.filter((file) => file.endsWith('.ts') && !file.startsWith('templates/')),
      [],
    );
  });

  it('is MIT-licensed, with the LICENSE to say so', async () => {
    assert.equal(pkg.license, 'MIT');
    const license = await readFile(join(clone, 'LICENSE'), 'utf8');
    assert.match(license, /^MIT License\n\nCopyright \(c\) \d{4} create-secure-session-app contributors\n/);
  });

  it(
    'installs from the tarball into an empty directory and generates an app through npm exec, offline',
    { timeout: 5 * 60_000 },
    async () => {
      const consumer = join(tmp!.path, 'consumer');
      await mkdir(consumer);
      await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--silent', tarball], consumer);
      const version = await run('npm', ['exec', '--offline', '--', 'create-secure-session-app', '--version'], consumer);
      assert.equal(version.stdout.trim(), pkg.version);
      const generated = await run(
        'npm',
        ['exec', '--offline', '--', 'create-secure-session-app', 'x', '--yes', '--no-install', '--no-git'],
        consumer,
      );
      const app = join(consumer, 'x');
      const manifest = JSON.parse(await readFile(join(app, 'package.json'), 'utf8'));
      assert.equal(manifest.name, 'x', describeRun(generated));
      assert.equal(manifest.scripts.setup, 'node scripts/setup.js');
      for (const file of ['.env.example', 'README.md', 'src/server.js', 'scripts/setup.js']) {
        assert.ok(existsSync(join(app, file)), `${file} was not written`);
      }
      assert.equal(((await stat(join(app, '.env'))).mode & 0o777).toString(8), '600');
    },
  );
});
