// --typescript: one option of the table (flag, prompt, equivalent command), and what it changes in the
// plan: the templates written as they are (.ts, no twin), tsconfig.json, the scripts, the types and
// the Node lines that strip types without a flag. The installed app is type-checked and run in
// test/e2e/typescript-app.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEPENDENCY_VERSIONS, TYPESCRIPT_ENGINES } from '../../src/dependency-versions.ts';
import { equivalentCommand } from '../../src/next-steps.ts';
import { outputPath } from '../../src/plan.ts';
import { resolveOptions } from '../../src/resolve-options.ts';
import { optionsWith, plan, render } from '../helpers/plan.ts';
import { scriptedPrompt } from '../helpers/prompt.ts';

interface Manifest {
  engines: { node: string };
  scripts: Record<string, string>;
  devDependencies?: Record<string, string>;
  overrides?: Record<string, string>;
}

const manifestOf = (files: Map<string, string>) => JSON.parse(files.get('package.json')!) as Manifest;

describe('--typescript, the option', () => {
  it('is JavaScript by default, and a yes/no question whose answer the equivalent command repeats', async () => {
    assert.equal(resolveOptions({}).options.typescript, false);
    assert.equal(resolveOptions({ typescript: true }).options.typescript, true);
    const prompt = scriptedPrompt({ typescript: true });
    const { answers, options } = await resolveOptions({ pm: 'npm' }, prompt.ask);
    assert.equal(prompt.question('typescript')?.kind, 'confirm');
    assert.equal(prompt.question('typescript')?.default, false);
    assert.equal(answers.typescript, true);
    const again = equivalentCommand('my-app', answers, options).command;
    assert.match(again, / --typescript /);
    const js = equivalentCommand('my-app', { typescript: false }, optionsWith()).command;
    assert.match(js, / --no-typescript /);
  });
});

describe('--typescript, the app', () => {
  it('writes the TypeScript templates as they are, and tsconfig.json', async () => {
    assert.equal(outputPath('src/config.ts.ejs', true), 'src/config.ts');
    assert.equal(outputPath('src/config.ts.ejs'), 'src/config.js');
    const ts = await plan({ typescript: true, store: 'redis', proxy: 'caddy' });
    const paths = ts.files.map((file) => file.path);
    const expected = ['src/server.ts', 'src/config.ts', 'src/store.ts', 'scripts/users.ts', 'tsconfig.json'];
    for (const file of [...expected, 'test/helpers.ts', 'test/session.test.ts', 'test/users-script.test.ts'])
      assert.ok(paths.includes(file), `${file} in ${paths.join(', ')}`);
    assert.ok(!paths.some((path) => /^(src|scripts|test)\/.*\.js$/.test(path)), 'no .js app module or test');
    assert.ok(paths.includes('public/assets/app.js'), "the browser's script stays JavaScript");
    const js = await plan({ store: 'redis', proxy: 'caddy' });
    assert.ok(!js.files.some((file) => file.path === 'tsconfig.json'));
  });

  it('renders the templates with their parts, in TypeScript, and the README names the .ts files', async () => {
    const files = await render({ typescript: true, store: 'postgres', proxy: 'paas' });
    const config = files.get('src/config.ts')!;
    assert.match(config, /export function loadConfig\(env: NodeJS\.ProcessEnv = process\.env\)/);
    assert.match(config, /function parsePublicHost\(value: string\): string \{/); // a part of _tls-proxy
    assert.match(config, /import \{ redactUrl \} from '\.\/store-url\.ts';/); // a part of _server
    assert.equal(files.get('Procfile'), 'web: node src/server.ts\n');
    const readme = files.get('README.md')!;
    assert.match(readme, /`src\/session\.ts`/);
    assert.doesNotMatch(readme, /`(src|scripts)\/[a-z/-]+\.js`/);
    assert.match(readme, /npm run typecheck/);
    const tsconfig = JSON.parse(files.get('tsconfig.json')!) as { compilerOptions: Record<string, unknown> };
    for (const option of ['strict', 'erasableSyntaxOnly', 'verbatimModuleSyntax', 'allowImportingTsExtensions'])
      assert.equal(tsconfig.compilerOptions[option], true, option);
    assert.equal(tsconfig.compilerOptions.module, 'nodenext');
  });

  it('runs the .ts files with Node itself, type-checks first in test, and pins the types', async () => {
    const manifest = manifestOf(await render({ typescript: true, store: 'sqlite' }));
    assert.equal(manifest.engines.node, TYPESCRIPT_ENGINES);
    assert.equal(manifest.scripts.start, 'node src/server.ts');
    assert.equal(manifest.scripts.dev, 'node scripts/check-env.ts && node --env-file=.env --watch src/server.ts');
    assert.equal(manifest.scripts['user:add'], 'node scripts/users.ts add');
    assert.equal(manifest.scripts.verify, 'node scripts/verify.ts');
    assert.equal(manifest.scripts.typecheck, 'tsc --noEmit');
    // Only the test files: `node --test` alone would run test/helpers.ts too.
    assert.equal(manifest.scripts.test, 'tsc --noEmit && node --test "test/*.test.ts"');
    assert.deepEqual(Object.keys(manifest.devDependencies!), [
      '@types/better-sqlite3',
      '@types/express',
      '@types/express-session',
      '@types/node',
      'typescript',
    ]);
    for (const [name, range] of Object.entries(manifest.devDependencies!))
      assert.equal(range, DEPENDENCY_VERSIONS[name as keyof typeof DEPENDENCY_VERSIONS]);
    assert.equal(manifest.overrides, undefined);
  });

  it("gives only the mysql app an override: its types' own mysql2 must be the app's", async () => {
    const mysql = manifestOf(await render({ typescript: true, store: 'mysql' }));
    assert.deepEqual(mysql.overrides, { mysql2: DEPENDENCY_VERSIONS.mysql2 });
    assert.equal(manifestOf(await render({ store: 'mysql' })).overrides, undefined);
  });

  it('leaves the JavaScript app as it was: no types, no typecheck', async () => {
    const manifest = manifestOf(await render({}));
    assert.equal(manifest.scripts.start, 'node src/server.js');
    assert.equal(manifest.scripts.verify, 'node scripts/verify.js');
    assert.equal(manifest.scripts.typecheck, undefined);
    assert.equal(manifest.scripts.test, 'node --test "test/*.test.js"');
    assert.equal(manifest.devDependencies, undefined);
  });
});
