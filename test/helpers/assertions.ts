// Small checks shared by the CLI and e2e tests.
import assert from 'node:assert/strict';
import { describeRun, type RunResult } from './cli.ts';

/** Lines of text without the empty ones. */
export function lines(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.trim() !== '');
}

/** stderr of an npm script without npm's own `npm error …` lines about its failure, which vary between npm versions. */
export function ownLines(stderr: string): string[] {
  return lines(stderr).filter((line) => !/^npm (error|ERR!)/.test(line));
}

/** NAME -> value of every uncommented assignment of a .env file, in order. */
export function envVariables(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match) found.set(match[1]!, match[2]!);
  }
  return found;
}

/** A stack frame line ("    at fn (file:1:2)"). */
export const STACK_LINE = /^\s+at\s/m;

/** Exit code `code` and exactly one non-empty line on stderr, without a stack trace. */
export function assertOneLineError(result: RunResult, code: number, mustMention: Array<string | RegExp> = []): string {
  assert.equal(result.code, code, `expected exit ${code}; got ${describeRun(result)}`);
  const errLines = lines(result.stderr);
  assert.equal(errLines.length, 1, `expected ONE line on stderr; got ${errLines.length}: ${describeRun(result)}`);
  assert.doesNotMatch(result.stderr, STACK_LINE, `stderr has a stack trace: ${result.stderr}`);
  const line = errLines[0]!;
  for (const m of mustMention) {
    if (typeof m === 'string') assert.ok(line.includes(m), `stderr should mention ${JSON.stringify(m)}: ${line}`);
    else assert.match(line, m, `stderr should match ${m}: ${line}`);
  }
  return line;
}
