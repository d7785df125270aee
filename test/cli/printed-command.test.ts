// The command an interactive run prints "to skip the prompts next time": it never shows the store
// URL's password, it names the manager that ran the CLI (with --pm unless npm), and pasted into a
// POSIX shell (sh -c, the variable set) it makes the same project.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { envVariables } from '../helpers/assertions.ts';
import { describeRun, runProcess } from '../helpers/cli.ts';
import { CLI_BIN, caseDirs } from '../helpers/paths.ts';
import { EVERY_PROMPT, KEY, runInTerminal, withoutFlags } from '../helpers/terminal.ts';
import { needsTools } from '../helpers/tools.ts';

// Shell syntax in the password ($, ', `) proves the pasted line never lets the shell read the value.
const PASSWORD = "s3cr$t'`x";
const REDIS_URL = `redis://app:${PASSWORD}@127.0.0.1:6379/0`;
/** A flag for every prompt but the store's (each test gives its own) and the domain's: the run asks one question. */
const FLAGS = withoutFlags(EVERY_PROMPT, '--store', '--store-url', '--domain');

describe('the command printed after an interactive run', needsTools('script', 'sh'), () => {
  const { root, emptyDir } = caseDirs('printed-command');
  let bin: string;
  before(async () => {
    // Stand-ins for the runners the printed line starts with: each drops the words that name the
    // package (`npx create-secure-session-app`, `pnpm create secure-session-app`) and runs this CLI.
    bin = join(root(), 'bin');
    await mkdir(bin);
    const runner = (drop: number) => `#!/bin/sh\nshift ${drop}\nexec '${process.execPath}' '${CLI_BIN}' "$@"\n`;
    await writeFile(join(bin, 'npx'), runner(1), { mode: 0o755 });
    await writeFile(join(bin, 'pnpm'), runner(2), { mode: 0o755 });
  });

  /** Runs the CLI on a terminal, answers the domain prompt, and returns the screen and the printed command. */
  async function interactiveRun(args: string[], env: Record<string, string> = {}) {
    const cwd = await emptyDir();
    const terminal = runInTerminal(['my-app', ...args, ...FLAGS], cwd, env);
    try {
      await terminal.waitFor(/Public host name/);
    } catch (error) {
      terminal.type(KEY.ctrlC); // another prompt came first: end the run, then fail
      await terminal.exit();
      throw error;
    }
    terminal.type(`app.example.com${KEY.enter}`);
    assert.equal(await terminal.exit(), 0, terminal.screen());
    const screen = terminal.screen().replace(/\r/g, '');
    const lines = screen.split('\n');
    const at = lines.findIndex((line) => line.startsWith('To skip the prompts next time, run:'));
    assert.notEqual(at, -1, screen);
    return { cwd, screen, command: lines[at + 1]!.trim(), after: lines[at + 2] ?? '' };
  }

  /** The printed command pasted into sh, in a fresh directory, with the runners above on PATH. */
  async function paste(command: string, env: Record<string, string> = {}) {
    const cwd = await emptyDir();
    const result = await runProcess('sh', ['-c', command], {
      cwd,
      env: { PATH: `${bin}:${process.env.PATH}`, HOME: process.env.HOME ?? '', NO_COLOR: '1', ...env },
      timeoutMs: 30_000,
    });
    assert.equal(result.code, 0, `${command}\n${describeRun(result)}`);
    return { cwd, result };
  }

  it(
    'a store URL with a password: masked everywhere, ' + '"$REDIS_URL" in the command, which works pasted with it set',
    async () => {
      const run = await interactiveRun(['--store', 'redis', '--store-url', REDIS_URL]);
      assert.ok(!run.screen.includes('s3cr'), `the password is on the screen:\n${run.screen}`);
      assert.match(
        run.command,
        new RegExp(
          String.raw`^npx create-secure-session-app my-app --store redis ` +
            String.raw`--store-url "\$REDIS_URL" .*--domain app\.example\.com .*--yes$`,
        ),
      );
      assert.doesNotMatch(run.command, /--pm/, 'npx is npm, the default');
      assert.match(
        run.after,
        /^Set REDIS_URL first to the --store-url given, redis:\/\/app:\*\*\*@127\.0\.0\.1:6379\/0, with its password/,
      );

      const pasted = await paste(run.command, { REDIS_URL });
      assert.ok(
        !pasted.result.stderr.includes('s3cr') && !pasted.result.stdout.includes('s3cr'),
        describeRun(pasted.result),
      );
      const first = envVariables(await readFile(join(run.cwd, 'my-app', '.env'), 'utf8'));
      const again = envVariables(await readFile(join(pasted.cwd, 'my-app', '.env'), 'utf8'));
      assert.ok(
        first.get('REDIS_URL')?.includes(PASSWORD),
        `the interactive run's .env has the full URL: ${first.get('REDIS_URL')}`,
      );
      assert.equal(
        again.get('REDIS_URL'),
        first.get('REDIS_URL'),
        'the pasted command used the same URL, password and all',
      );
      const readme = await readFile(join(pasted.cwd, 'my-app', 'README.md'), 'utf8');
      assert.ok(readme.includes('app.example.com'), 'the pasted command kept the answered domain');
    },
  );

  it('a store URL without a password is printed as it is, with no note', async () => {
    const run = await interactiveRun(['--store', 'redis', '--store-url', 'redis://127.0.0.1:6380']);
    assert.match(run.command, /--store-url redis:\/\/127\.0\.0\.1:6380 /);
    assert.doesNotMatch(run.after, /Set REDIS_URL/);
  });

  it('run by pnpm create: "pnpm create" with --pm pnpm, and pasted it makes a pnpm project', async () => {
    // What `pnpm create secure-session-app` sets; the stand-in pnpm used for the paste sets nothing.
    const pnpm = { npm_config_user_agent: 'pnpm/10.30.0 npm/? node/v26.10.0 linux x64' };
    const run = await interactiveRun(['--store', 'sqlite', '--store-url', './data/sessions.db'], pnpm);
    assert.match(run.command, /^pnpm create secure-session-app my-app .*--pm pnpm .*--yes$/);
    const pasted = await paste(run.command);
    // Only a pnpm project of the SQLite store gets pnpm-workspace.yaml (its install-script decisions).
    assert.ok(existsSync(join(pasted.cwd, 'my-app', 'pnpm-workspace.yaml')), 'the pasted command chose pnpm');
    assert.ok(existsSync(join(run.cwd, 'my-app', 'pnpm-workspace.yaml')));
  });
});
