// Where messages go: people read stderr and a TTY; with --json, stdout carries one JSON object only.

/**
 * The styles the CLI prints its short labels in ('error:', '✔'), as ANSI codes, the ones chalk printed
 * at its level 1: loading chalk and the terminal modules it reads cost some 15 ms of CPU a run.
 */
export interface Colors {
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  bold(text: string): string;
}

function colors(on: boolean): Colors {
  const style = (open: number, close: number) => (text: string) =>
    on && text ? `\x1b[${open}m${text}\x1b[${close}m` : text;
  return { red: style(31, 39), green: style(32, 39), yellow: style(33, 39), cyan: style(36, 39), bold: style(1, 22) };
}

export interface Output {
  color: Colors;
  /** Progress and notes for people; on stderr, so stdout stays clean for --json. */
  info(line: string): void;
  warn(line: string): void;
  /** The human result (file lists, next steps); silent with --json. */
  result(line: string): void;
  json(value: unknown): void;
  isTTY: boolean;
}

/** FORCE_COLOR (but 0 or false) turns colour on, NO_COLOR (no-color.org) off; else a terminal has it. */
function colorOn(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (env.FORCE_COLOR !== undefined) return !(env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false');
  if (env.NO_COLOR) return false;
  return isTTY;
}

export function createOutput(jsonMode: boolean, env = process.env): Output {
  const isTTY = Boolean(process.stderr.isTTY);
  const color = colors(colorOn(env, isTTY));
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
    write(process.stderr, `\r${out.color.cyan(frames[frame++ % frames.length]!)} ${label}`);
  }, 80);
  return (final) => {
    clearInterval(timer);
    write(process.stderr, `\r\x1b[2K${final}\n`);
  };
}
