// Free TCP ports for the servers a test starts (apps, proxies, Redis nodes), safe when test files
// run side by side. A port comes from below the kernel's ephemeral range, so no outgoing connection
// (a load generator opens thousands) can take it between the check and the server's bind; and it is
// reserved by creating a file named after it in a directory every test process shares, so two test
// processes never hand out the same one. A reservation whose process has ended is taken over.
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Below Linux's default ephemeral range (32768–60999) and above the well-known servers'. */
const FIRST = 20_000;
const LAST = 32_000;
const RESERVED = join(tmpdir(), 'cssa-test-ports');
const mine = new Set<string>();

process.on('exit', () => {
  for (const file of mine) rmSync(file, { force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when this process now holds the reservation of `port`. */
function reserve(port: number): boolean {
  const file = join(RESERVED, String(port));
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      mine.add(file);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(file, 'utf8') || NaN);
      if (Number.isNaN(owner) || alive(owner)) return false; // empty: its owner is writing it now
      rmSync(file, { force: true });
    }
  }
  return false;
}

function release(port: number): void {
  const file = join(RESERVED, String(port));
  rmSync(file, { force: true });
  mine.delete(file);
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  mkdirSync(RESERVED, { recursive: true });
  for (let tries = 0; tries < 1000; tries++) {
    const port = FIRST + Math.floor(Math.random() * (LAST - FIRST));
    if (!reserve(port)) continue;
    if (await bindable(port)) return port;
    release(port); // some server outside the tests has it
  }
  throw new Error(`no free port found between ${FIRST} and ${LAST}`);
}

/** `count` distinct free ports. */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) ports.push(await freePort());
  return ports;
}

/** True when something accepts a TCP connection on host:port. */
export function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
