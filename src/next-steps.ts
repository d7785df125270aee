import path from 'node:path';
import { OPTIONS, type OptionKey, type Raw, type RawAnswers } from './options.js';
import type { PackageManager } from './package-managers.js';

export function nextSteps(dir: string, cwd: string, pm: PackageManager, installed: boolean, port: number): string[] {
  const relative = path.relative(cwd, dir);
  return [
    ...(relative === '' ? [] : [`cd ${shellQuote(relative)}`]),
    ...(installed ? [] : [pm.install]),
    `${pm.run('dev')}    # then open http://localhost:${port}`,
  ];
}

/** The command that repeats an interactive run without prompts, for CI, through the chosen manager. */
export function equivalentCommand(directory: string, answers: RawAnswers, pm: PackageManager): string {
  const parts = [shellQuote(directory)];
  for (const key of Object.keys(OPTIONS) as OptionKey[]) {
    const value = answers[key];
    if (value !== undefined) parts.push(flagWords(key, value));
  }
  return pm.create([...parts, '--yes']);
}

/** POSIX shell quoting: plain words as they are, anything else in single quotes. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** An option as it is typed on the command line: `--port 3000`, `--no-git`. */
export function flagWords(key: OptionKey, value: Raw): string {
  const flag = OPTIONS[key].flag.split(' ')[0]!;
  if (typeof value === 'boolean') return value ? flag : `--no-${flag.slice(2)}`;
  return `${flag} ${shellQuote(value)}`;
}
