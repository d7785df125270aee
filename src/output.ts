// Where messages go: people read stderr and a TTY; with --json, stdout carries one JSON object only.
import { Chalk, type ChalkInstance } from 'chalk';

export interface Output {
  color: ChalkInstance;
  /** Progress and notes for people; on stderr, so stdout stays clean for --json. */
  info(line: string): void;
  warn(line: string): void;
  /** The human result (file lists, next steps); silent with --json. */
  result(line: string): void;
  json(value: unknown): void;
  isTTY: boolean;
}

/** chalk reads FORCE_COLOR; NO_COLOR (no-color.org) we honour here. */
function colorLevel(env: NodeJS.ProcessEnv, isTTY: boolean): 0 | 1 | 2 | 3 {
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false' ? 0 : 1;
  if (env.NO_COLOR) return 0;
  return isTTY ? 1 : 0;
}

export function createOutput(jsonMode: boolean, env = process.env): Output {
  const isTTY = Boolean(process.stderr.isTTY);
  const color = new Chalk({ level: colorLevel(env, isTTY) });
  const stdout = (text: string) => write(process.stdout, text);
  const stderr = (text: string) => write(process.stderr, text);
  return {
    color,
    isTTY,
    info: (line) => stderr(`${line}\n`),
    warn: (line) => stderr(`${color.yellow('warning:')} ${line}\n`),
    result: (line) => {
      if (!jsonMode) stdout(`${line}\n`);
    },
    json: (value) => stdout(`${JSON.stringify(value, null, 2)}\n`),
  };
}

const closed = new WeakSet<NodeJS.WritableStream>();
const watched = new WeakSet<NodeJS.WritableStream>();

/**
 * A reader that stops reading (`| head -1`) is no failure of the run: what it did not read has
 * nowhere to go, so it is dropped, and the run's own outcome decides the exit code. Without this,
 * Node throws the pipe's EPIPE as an unhandled 'error' event: a stack trace and exit 1.
 */
export function write(stream: NodeJS.WritableStream, text: string): void {
  if (!watched.has(stream)) {
    watched.add(stream);
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      closed.add(stream);
    });
  }
  if (!closed.has(stream)) stream.write(text);
}

/** A spinner on a TTY, a plain line otherwise; returns a stop function. */
export function progress(out: Output, label: string): (final: string) => void {
  if (!out.isTTY) {
    out.info(`${label}...`);
    return (final) => out.info(final);
  }
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let frame = 0;
  const timer = setInterval(() => {
    write(process.stderr, `\r${out.color.cyan(frames[frame++ % frames.length])} ${label}`);
  }, 80);
  return (final) => {
    clearInterval(timer);
    write(process.stderr, `\r\x1b[2K${final}\n`);
  };
}
