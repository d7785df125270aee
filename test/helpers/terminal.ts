// The CLI (or a generated app's script) in a real terminal: util-linux `script` gives it a pseudo-TTY,
// so it prompts as it does for a person, and the test types keys (Enter, Ctrl-C, Ctrl-D) into it.
import { spawn } from 'node:child_process';
import { CLI_BIN } from './paths.ts';
import { exited, terminate, track, waitFor } from './processes.ts';

export const KEY = { enter: '\r', ctrlC: '\x03', ctrlD: '\x04' } as const;

/** A flag for every option that has a prompt (with the default proxy and store): a run with them all asks nothing. */
export const EVERY_PROMPT: readonly string[] = [
  '--store',
  'sqlite',
  '--store-url',
  './data/sessions.db',
  '--max-age',
  '30m',
  '--rolling',
  '--absolute-timeout',
  '8h',
  '--proxy',
  'nginx',
  '--domain',
  'example.com',
  '--port',
  '3000',
  '--no-typescript',
  '--no-install',
  '--no-git',
];

/** `flags` without these flags that take a value, and their values: a run asks those questions. */
export const withoutFlags = (flags: readonly string[], ...dropped: string[]): string[] =>
  flags.filter((flag, i) => !dropped.includes(flag) && !dropped.includes(flags[i - 1]!));

export interface Terminal {
  /** Waits until the screen output (colours stripped) matches `pattern`, counting from `from`. */
  waitFor(pattern: RegExp, from?: number): Promise<void>;
  type(keys: string): void;
  screen(): string;
  exit(): Promise<number | null>;
}

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

export function runInTerminal(args: string[], cwd: string, env: Record<string, string> = {}): Terminal {
  return runCommandInTerminal([process.execPath, CLI_BIN, ...args], cwd, env);
}

/** Any command (`argv`, quoted for the shell here) in a pseudo-TTY: a generated app's script that asks. */
export function runCommandInTerminal(argv: string[], cwd: string, env: Record<string, string> = {}): Terminal {
  const command = argv.map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = track(
    spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TERM: 'xterm', NO_COLOR: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk.replace(ANSI, '')));
  const done = exited(child);
  return {
    waitFor: (pattern, from = 0) =>
      waitFor(
        `${pattern} on the terminal`,
        async () => {
          if (!pattern.test(output.slice(from))) throw new Error(`screen so far:\n${output}`);
          return true;
        },
        { timeoutMs: 10_000, intervalMs: 20 },
      ).then(() => undefined),
    type: (keys) => child.stdin!.write(keys),
    screen: () => output,
    exit: async () => {
      const timer = setTimeout(() => void terminate(child), 10_000);
      const { code } = await done;
      clearTimeout(timer);
      return code;
    },
  };
}
