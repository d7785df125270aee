// Ctrl-C at every prompt, stdin closed mid-prompt, Ctrl-C while writing, and a disk that fills up
// while writing: each ends with its exit code and nothing left behind. Ctrl-C during the install
// keeps the written project and says how to finish.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertOneLineError } from '../helpers/assertions.ts';
import { childEnv, runCli } from '../helpers/cli.ts';
import { CLI_BIN, makeTempDir } from '../helpers/paths.ts';
import { exited, sleep, track, waitFor } from '../helpers/processes.ts';
import { KEY, runInTerminal } from '../helpers/terminal.ts';
import { needsTools } from '../helpers/tools.ts';

// The prompts of a default interactive run, in order; Enter accepts each default. Their order,
// messages and defaults are the unit tests' (test/unit/resolve-options.test.ts); here they are only
// the places to press keys at.
const PROMPTS = [
  /Project directory/,
  /Session store/,
  /Store location/,
  /Idle session lifetime/,
  /Renew the lifetime/,
  /Absolute timeout/,
  /Reverse proxy/,
  /Public host name/,
  /Port the app listens on/,
  /Language: TypeScript/,
  /Install dependencies/,
  /Initialise a git repository/,
];

describe('interrupted runs leave nothing behind, or say what they left', needsTools('script'), () => {
  let tmp: { path: string; remove: () => Promise<void> };
  let counter = 0;
  const isRoot = process.getuid?.() === 0;
  const mounts: string[] = [];
  before(async () => {
    tmp = await makeTempDir('interrupts');
  });
  after(async () => {
    for (const dir of mounts) execFileSync('umount', [dir]);
    await tmp?.remove();
  });
  async function emptyDir(): Promise<string> {
    const dir = join(tmp.path, `case-${++counter}`);
    await mkdir(dir);
    return dir;
  }

  /** Answers the prompts before `index` with Enter, then types `key` at prompt `index`. */
  async function interruptAt(
    index: number,
    key: string,
  ): Promise<{ code: number | null; cwd: string; screen: string }> {
    const cwd = await emptyDir();
    const terminal = runInTerminal(['--pm', 'npm'], cwd);
    let from = 0;
    for (const [i, prompt] of PROMPTS.entries()) {
      await terminal.waitFor(prompt, from);
      from = terminal.screen().length;
      if (i === index) break;
      terminal.type(KEY.enter);
    }
    terminal.type(key);
    return { code: await terminal.exit(), cwd, screen: terminal.screen() };
  }

  it('a full interactive run writes the project and prints the command that repeats it', async () => {
    const cwd = await emptyDir();
    const terminal = runInTerminal(['--pm', 'npm'], cwd);
    const answers = ['my-app', '', '', '12h', 'n', '', '', 'app.example.com', '', 'y', 'n', 'n'];
    let from = 0;
    for (const [i, prompt] of PROMPTS.entries()) {
      await terminal.waitFor(prompt, from);
      from = terminal.screen().length;
      terminal.type(`${answers[i]}${KEY.enter}`);
    }
    assert.equal(await terminal.exit(), 0, terminal.screen());
    const screen = terminal.screen().replace(/\r?\n/g, ' ');
    assert.match(screen, /To skip the prompts next time, run:/);
    assert.match(
      screen,
      new RegExp(
        String.raw`npx create-secure-session-app my-app .*--max-age 12h --no-rolling ` +
          String.raw`--absolute-timeout 30d .*--domain app\.example\.com .*--typescript --no-install --no-git --yes`,
      ),
    );
    assert.deepEqual(await readdir(cwd), ['my-app']);
  });

  PROMPTS.forEach((prompt, index) => {
    it(`Ctrl-C at "${prompt.source}" exits 130 and writes nothing`, async () => {
      const { code, cwd, screen } = await interruptAt(index, KEY.ctrlC);
      assert.equal(code, 130, screen);
      assert.match(screen, /Cancelled: nothing was written/);
      assert.deepEqual(await readdir(cwd), []);
    });
  });

  for (const index of [0, 1, 3, 4]) {
    it(`stdin closed at "${PROMPTS[index]!.source}" exits 130 and writes nothing`, async () => {
      const { code, cwd, screen } = await interruptAt(index, KEY.ctrlD);
      assert.equal(code, 130, screen);
      assert.deepEqual(await readdir(cwd), []);
    });
  }

  it('Ctrl-C while writing exits 130 and leaves no file and no staging directory', async () => {
    const cwd = await emptyDir();
    // The test-only delay between files widens the window that a real Ctrl-C would hit.
    const env = childEnv({ CI: undefined, CREATE_SECURE_SESSION_APP_TEST_SLOW_WRITE_MS: '100' });
    const child = track(
      spawn(process.execPath, [CLI_BIN, 'my-app', '--yes', '--no-install', '--no-git'], { cwd, env, stdio: 'pipe' }),
    );
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    await sleep(700);
    assert.equal((await readdir(cwd)).length, 1, 'the staging directory exists while writing');
    child.kill('SIGINT');
    const { code } = await exited(child);
    assert.equal(code, 130, stderr);
    assert.match(stderr, /Cancelled: nothing was written/);
    assert.deepEqual(await readdir(cwd), []);
  });

  it('Ctrl-C during the install exits 130, keeps the project, and says how to finish the install', async () => {
    const cwd = await emptyDir();
    // An npm that never finishes: it only says it started, then sleeps until a signal ends it.
    const bin = join(cwd, 'bin');
    await mkdir(bin);
    await writeFile(join(bin, 'npm'), `#!/bin/sh\necho started > '${join(cwd, 'npm-started')}'\nexec sleep 60\n`, {
      mode: 0o755,
    });
    const env = childEnv({ CI: undefined, PATH: `${bin}:${process.env.PATH}` });
    const child = track(
      spawn(process.execPath, [CLI_BIN, 'my-app', '--yes', '--no-git', '--pm', 'npm'], { cwd, env, stdio: 'pipe' }),
    );
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    await waitFor('the install to start', async () => existsSync(join(cwd, 'npm-started')) || undefined, {
      timeoutMs: 10_000,
      intervalMs: 20,
    });
    const stopped = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    assert.equal(code, 130, stderr);
    assert.ok(Date.now() - stopped < 10_000, 'the CLI stopped the install instead of waiting for it');
    assert.match(stderr, /Wrote \d+ files/);
    assert.doesNotMatch(stderr, /nothing was written/);
    assert.match(
      stderr,
      new RegExp(
        String.raw`^error: Install stopped: the project was written to .*my-app, but its ` +
          String.raw`dependencies are not all installed\. To finish, run: cd my-app && npm install$`,
        'm',
      ),
    );
    assert.ok(existsSync(join(cwd, 'my-app', 'package.json')), 'the project stays');
  });

  it(
    'a disk that fills up while writing: exit 1, one line naming the cause, nothing left',
    { skip: !isRoot && !process.env.CI && 'needs root to mount a tiny tmpfs' },
    async () => {
      const cwd = await emptyDir();
      // A real ENOSPC: a tmpfs smaller than the project.
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=12k', 'cssa-full', cwd]);
      mounts.push(cwd);
      const result = await runCli(['my-app', '--yes', '--no-install', '--no-git'], { cwd, env: { CI: undefined } });
      assertOneLineError(result, 1, ['error:', 'no space left on the device', 'nothing was left behind']);
      assert.deepEqual(await readdir(cwd), []);
    },
  );
});
