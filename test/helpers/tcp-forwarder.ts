// A TCP forwarder between the app and a real store server, to take the store "down" and bring it
// "back" while the app runs, without touching the server (other tests share it):
//   down()  = stop listening (new connections are refused) and destroy every piped socket;
//   stall() = a server that hangs: connections stay open and new ones are accepted, but nothing is
//             forwarded any more, either way (no error, no close: only a deadline notices);
//   resume() = after stall: forward again on the same connections, what waited included (a server
//             that was slow, not gone);
//   up()    = forward again: listen again on the same port (after down), or cut every stalled
//             connection and forward new ones (after stall), as a restarted server would.
// Only ever forwards to the loopback range.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { freePort } from './ports.ts';

const LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

export interface TcpForwarder {
  /** The port the app should connect to. */
  readonly port: number;
  readonly host: string;
  readonly listening: boolean;
  readonly stalled: boolean;
  /** Connections accepted since start (a sign that the app really went through the forwarder). */
  readonly accepted: number;
  /** Sockets open right now (both sides of every pipe). */
  readonly open: number;
  up(): Promise<void>;
  down(): Promise<void>;
  stall(): void;
  resume(): void;
  /** down(), for good; safe to call twice. */
  close(): Promise<void>;
}

export async function startForwarder(
  target: { host: string; port: number },
  options: { port?: number; listen?: boolean } = {},
): Promise<TcpForwarder> {
  if (!LOOPBACK.test(target.host)) throw new Error(`forwarder refuses non-loopback target ${target.host}`);
  const host = '127.0.0.1';
  const port = options.port ?? (await freePort());
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let accepted = 0;
  let stalled = false;
  const pipes = new Set<[Socket, Socket]>();

  const keep = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };

  /** Inbound connections accepted while stalled, not connected anywhere yet. */
  const waiting = new Set<Socket>();

  const onConnection = (inbound: Socket) => {
    accepted++;
    keep(inbound);
    inbound.on('error', () => {});
    if (stalled) {
      inbound.pause(); // accepted, never answered
      waiting.add(inbound);
      inbound.once('close', () => waiting.delete(inbound));
      return;
    }
    forward(inbound);
  };

  const forward = (inbound: Socket) => {
    const outbound = createConnection({ host: target.host, port: target.port });
    keep(outbound);
    // either side failing or closing ends both: that is what a real outage looks like to a client
    inbound.once('error', () => outbound.destroy());
    outbound.once('error', () => inbound.destroy());
    inbound.once('close', () => outbound.destroy());
    outbound.once('close', () => inbound.destroy());
    inbound.pipe(outbound);
    outbound.pipe(inbound);
    const pipe: [Socket, Socket] = [inbound, outbound];
    pipes.add(pipe);
    inbound.once('close', () => pipes.delete(pipe));
  };

  const cutAll = () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    pipes.clear();
    waiting.clear();
  };

  const resume = () => {
    if (!stalled) return;
    stalled = false;
    for (const [inbound, outbound] of pipes) {
      inbound.pipe(outbound);
      outbound.pipe(inbound);
      inbound.resume();
      outbound.resume();
    }
    for (const inbound of waiting) forward(inbound);
    waiting.clear();
  };

  const stall = () => {
    stalled = true;
    for (const [inbound, outbound] of pipes) {
      inbound.unpipe(outbound);
      outbound.unpipe(inbound);
      inbound.pause();
      outbound.pause();
    }
  };

  const up = async () => {
    if (stalled) {
      stalled = false;
      cutAll();
    }
    if (server) return;
    const s = createServer(onConnection);
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, host, () => {
        s.off('error', reject);
        resolve();
      });
    });
    server = s;
  };

  const down = async () => {
    const s = server;
    server = undefined;
    stalled = false;
    const closed = s ? new Promise<void>((resolve) => s.close(() => resolve())) : Promise.resolve();
    cutAll();
    await closed;
  };

  if (options.listen !== false) await up();
  return {
    port,
    host,
    get listening() {
      return server !== undefined;
    },
    get stalled() {
      return stalled;
    },
    get accepted() {
      return accepted;
    },
    get open() {
      return sockets.size;
    },
    up,
    down,
    stall,
    resume,
    close: down,
  };
}
