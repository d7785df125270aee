// The development .env: how scripts/env-file.js (shipped in the app, run by its `npm run setup`) fills
// .env.example, and that the CLI's own .env is that very filling, for every store and proxy setup.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { devEnvValues } from '../../src/env-file.ts';
import { PACKAGE_MANAGERS } from '../../src/package-managers.ts';
import { PROXIES } from '../../src/proxies/index.ts';
import { STORES } from '../../src/stores/index.ts';
import { ENV_HEADER, fillEnvExample, newSecrets } from '../../templates/base/scripts/env-file.js';
import { envVariables } from '../helpers/assertions.ts';
import { optionsWith, render, secrets } from '../helpers/plan.ts';

const EXAMPLE = [
  '# About this example file.',
  '# More about it.',
  '',
  '# The environment.',
  'NODE_ENV=development',
  'SESSION_SECRET=change-me',
  '# ALLOW_X=1',
  'DEMO_PASSWORD=',
  'PORT=3000',
  '',
].join('\n');

describe('fillEnvExample', () => {
  it("sets the given variables, keeps every other line, and replaces the example's opening comment", () => {
    const text = fillEnvExample(EXAMPLE, { SESSION_SECRET: 'x'.repeat(64), DEMO_PASSWORD: 'pw' });
    assert.equal(
      text,
      [
        ...ENV_HEADER,
        '',
        '# The environment.',
        'NODE_ENV=development',
        `SESSION_SECRET=${'x'.repeat(64)}`,
        '# ALLOW_X=1',
        'DEMO_PASSWORD=pw',
        'PORT=3000',
        '',
      ].join('\n'),
    );
  });

  it('adds a variable the example has no line for (a commented one does not count)', () => {
    const text = fillEnvExample(EXAMPLE, { ALLOW_X: '1', REDIS_URL: '"redis://h"' });
    assert.ok(text.endsWith('\nPORT=3000\nALLOW_X=1\nREDIS_URL="redis://h"\n'), text);
    assert.match(text, /^# ALLOW_X=1$/m);
  });

  it('reads CRLF line ends and an example without a final newline or any assignment', () => {
    assert.equal(fillEnvExample('# c\r\n\r\nA=1\r\nB=2', { B: '3' }), [...ENV_HEADER, '', 'A=1', 'B=3', ''].join('\n'));
    assert.equal(fillEnvExample('# only a comment\n', { A: '1' }), [...ENV_HEADER, 'A=1', ''].join('\n'));
  });

  it('refuses a value with a line break and a name that is not a variable', () => {
    assert.throws(
      () => fillEnvExample(EXAMPLE, { DEMO_PASSWORD: 'a\nNODE_ENV=production' }),
      /DEMO_PASSWORD.*line break/,
    );
    assert.throws(() => fillEnvExample(EXAMPLE, { 'A B': '1' }), /not a variable name/);
  });
});

describe('newSecrets', () => {
  it('makes a 48-byte base64url SESSION_SECRET and a 12-byte DEMO_PASSWORD, new each time', () => {
    const a = newSecrets();
    const b = newSecrets();
    assert.match(a.SESSION_SECRET, /^[A-Za-z0-9_-]{64}$/);
    assert.match(a.DEMO_PASSWORD, /^[A-Za-z0-9_-]{16}$/);
    assert.notEqual(a.SESSION_SECRET, b.SESSION_SECRET);
    assert.notEqual(a.DEMO_PASSWORD, b.DEMO_PASSWORD);
  });
});

describe("the CLI's .env is .env.example filled in as `npm run setup` fills it", () => {
  for (const store of STORES) {
    for (const proxy of PROXIES) {
      it(`${store.id} + ${proxy.id}`, async () => {
        const flags = { store: store.id, proxy: proxy.id };
        const files = await render(flags);
        const example = files.get('.env.example')!;
        const env = files.get('.env')!;
        // What the generated scripts/setup.js writes, with the same secrets
        const setup = fillEnvExample(example, {
          NODE_ENV: 'development',
          SESSION_SECRET: secrets.sessionSecret,
          DEMO_PASSWORD: secrets.demoPassword,
        });
        assert.equal(env, setup);
        assert.equal(env, fillEnvExample(example, devEnvValues(optionsWith(flags), secrets)));
        // every variable of .env.example, with its value unless it is one of the secrets
        const exampleVars = envVariables(example);
        const envVars = envVariables(env);
        assert.deepEqual([...envVars.keys()], [...exampleVars.keys()]);
        for (const [name, value] of exampleVars) {
          if (name === 'SESSION_SECRET' || name === 'DEMO_PASSWORD') continue;
          assert.equal(envVars.get(name), value, name);
        }
        assert.equal(envVars.get('NODE_ENV'), 'development');
        assert.equal(envVars.get('SESSION_SECRET'), secrets.sessionSecret);
        assert.equal(envVars.get('DEMO_PASSWORD'), secrets.demoPassword);
      });
    }
  }
});

describe('the setup command each package manager is told to run', () => {
  it("names the package manager's own command, and never a built-in that shadows the script", () => {
    const commands = Object.fromEntries(PACKAGE_MANAGERS.map((pm) => [pm.id, pm.run('setup')]));
    // pnpm before v11 runs its own installer for `pnpm setup`
    assert.deepEqual(commands, {
      npm: 'npm run setup',
      pnpm: 'pnpm run setup',
      yarn: 'yarn run setup',
      bun: 'bun run setup',
    });
  });

  for (const pm of PACKAGE_MANAGERS) {
    it(`${pm.id}: the dev guard, setup's last line and the README name it`, async () => {
      const files = await render({ pm: pm.id });
      const command = pm.run('setup');
      assert.ok(
        files
          .get('scripts/check-env.js')!
          .includes(`'No .env: run ${command} first (it writes .env from .env.example with fresh secrets).'`),
      );
      assert.ok(files.get('scripts/setup.js')!.includes(`Next: ${pm.run('dev')}`));
      const readme = files.get('README.md')!;
      const run = readme.slice(readme.indexOf('## Run it'), readme.indexOf('\n## ', readme.indexOf('## Run it') + 1));
      assert.ok(run.includes(`\`\`\`sh\n${pm.install}\n${command}\n${pm.run('dev')}\n\`\`\``), run);
    });
  }
});
