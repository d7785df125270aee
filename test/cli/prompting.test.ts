// When the CLI asks, and what it says when it does not: the reason it names is the real one (no
// terminal, --json, CI), and "To skip the prompts next time" follows only a run that asked something.
// Which prompts a run asks, in what order and with what default: test/unit/resolve-options.test.ts.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { STACK_LINE } from '../helpers/assertions.ts';
import { describeRun, runCli } from '../helpers/cli.ts';
import { caseDirs } from '../helpers/paths.ts';
import { EVERY_PROMPT, KEY, runInTerminal, withoutFlags } from '../helpers/terminal.ts';
import { needsTools } from '../helpers/tools.ts';

describe('prompting', () => {
  const { emptyDir } = caseDirs('prompting');

  describe('without prompts, the defaults note names the real reason', () => {
    const cases: {
      name: string;
      args: string[];
      env: Record<string, string | undefined>;
      says: RegExp;
      not: RegExp;
    }[] = [
      {
        name: 'stdin and stdout are pipes',
        args: [],
        env: { CI: undefined },
        says: /^No terminal to ask in \(stdin is not a terminal\), so defaults were taken: --store sqlite /m,
        not: /--json|CI/,
      },
      {
        name: 'CI is set',
        args: [],
        env: { CI: 'true' },
        says: /^No questions while CI is set in the environment, so defaults were taken: /m,
        not: /No terminal|--json/,
      },
      {
        name: '--json',
        args: ['--json'],
        env: { CI: undefined },
        says: /^No questions with --json, so defaults were taken: /m,
        not: /No terminal|CI/,
      },
    ];
    for (const { name, args, env, says, not } of cases) {
      it(name, async () => {
        const cwd = await emptyDir();
        const result = await runCli(['my-app', '--no-install', '--no-git', ...args], { cwd, env });
        assert.equal(result.code, 0, describeRun(result));
        assert.match(result.stderr, says);
        assert.doesNotMatch(result.stderr, not);
        assert.doesNotMatch(result.stderr, STACK_LINE);
      });
    }

    it('--yes: no note at all', async () => {
      const cwd = await emptyDir();
      const result = await runCli(['my-app', '--yes', '--no-install', '--no-git'], { cwd, env: { CI: 'true' } });
      assert.equal(result.code, 0, describeRun(result));
      assert.doesNotMatch(result.stderr, /defaults were taken/);
    });
  });

  describe('on a terminal', needsTools('script'), () => {
    it('CI set: asks nothing and says CI is why', async () => {
      const cwd = await emptyDir();
      const terminal = runInTerminal(['my-app', '--no-install', '--no-git'], cwd, { CI: '1' });
      assert.equal(await terminal.exit(), 0, terminal.screen());
      assert.match(terminal.screen(), /No questions while CI is set in the environment, so defaults were taken/);
      assert.doesNotMatch(terminal.screen(), /No terminal|Session store/);
    });

    it('--json: asks nothing and says --json is why', async () => {
      const cwd = await emptyDir();
      const terminal = runInTerminal(['my-app', '--json', '--no-install', '--no-git'], cwd);
      assert.equal(await terminal.exit(), 0, terminal.screen());
      assert.match(terminal.screen(), /No questions with --json, so defaults were taken/);
      assert.doesNotMatch(terminal.screen(), /No terminal|Session store/);
    });

    // That a flag prevents its prompt is a flow: the unit test "asks nothing that a flag gave".
    it('every prompt answered by a flag: nothing asked, so no "To skip the prompts next time"', async () => {
      const cwd = await emptyDir();
      const terminal = runInTerminal(['my-app', ...EVERY_PROMPT], cwd);
      assert.equal(await terminal.exit(), 0, terminal.screen());
      assert.ok(existsSync(join(cwd, 'my-app', 'package.json')), terminal.screen());
      assert.doesNotMatch(terminal.screen(), /To skip the prompts/);
    });

    it('one prompt left (the domain): asked, so the command to skip it is printed', async () => {
      const cwd = await emptyDir();
      const terminal = runInTerminal(['my-app', ...withoutFlags(EVERY_PROMPT, '--domain')], cwd);
      await terminal.waitFor(/Public host name/);
      terminal.type(`app.example.com${KEY.enter}`);
      assert.equal(await terminal.exit(), 0, terminal.screen());
      assert.match(
        terminal.screen().replace(/\r?\n/g, ' '),
        /To skip the prompts next time, run: .*--domain app\.example\.com/,
      );
    });
  });
});
