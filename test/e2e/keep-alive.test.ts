// Idle keep-alive connections, for every proxy setup. Whatever stands in front of the app keeps idle
// connections to it for reuse; it must be the side that closes them. When the app closes one first
// (Node's default: after 5 s, enforced at about 6 s), a request the proxy sends on it at that moment
// fails with a 502, and every request after a pause pays for a new connection. So, after an idle
// pause past Node's default:
//   - directly on one keep-alive connection to the app (as a platform's router or the user's proxy
//     holds it; TLS for `none`), the next request is answered on the same connection;
//   - through real nginx and real Caddy with the generated deploy/nginx.conf and deploy/Caddyfile,
//     the next request succeeds, and the proxy sent it on the connection to the app it already had
//     (the proxy's sockets to the app's port, read from /proc/net/tcp, are the same before and after).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, readlink } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import { startApp, type AppEnv, type RunningApp } from '../helpers/app-process.ts';
import { prepareCaddy, startCaddy } from '../helpers/caddy.ts';
import { DOMAIN } from '../helpers/constants.ts';
import { generateApp, installDeps, type GeneratedApp } from '../helpers/generated-app.ts';
import { client } from '../helpers/https-client.ts';
import { prepareNginx, startNginx } from '../helpers/nginx.ts';
import { freePort } from '../helpers/ports.ts';
import { sleep } from '../helpers/processes.ts';
import { makeCert, type TestCert } from '../helpers/tls.ts';
import { needsTools } from '../helpers/tools.ts';

/** Past Node's default keepAliveTimeout (5 s), which its server enforces about 1 s late. */
const IDLE_MS = 7000;

type Setup = 'nginx' | 'caddy' | 'paas' | 'custom' | 'none';
const SETUPS: Setup[] = ['nginx', 'caddy', 'paas', 'custom', 'none'];
const TOOLS: Record<Setup, string[]> = {
  nginx: ['nginx', 'openssl'],
  caddy: ['caddy', 'openssl'],
  paas: [],
  custom: [],
  none: ['openssl'],
};

/** One HTTP/1.1 connection, kept open; `get` sends a request on it and reads one whole response. */
class RawConnection {
  private buffer = '';
  private ended = false;
  private waiting: (() => void) | undefined;

  constructor(readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.waiting?.();
    });
    const end = () => {
      this.ended = true;
      this.waiting?.();
    };
    socket.on('end', end);
    socket.on('close', end);
    socket.on('error', end);
  }

  get closed(): boolean {
    return this.ended || this.socket.destroyed;
  }

  async get(path: string, timeoutMs = 5000): Promise<{ status: number; head: string; body: string }> {
    assert.equal(this.closed, false, `GET ${path}: the app had closed the connection`);
    this.socket.write(`GET ${path} HTTP/1.1\r\nHost: ${DOMAIN}\r\nConnection: keep-alive\r\n\r\n`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end !== -1) {
        const head = this.buffer.slice(0, end);
        const length = Number(/^content-length:\s*(\d+)/im.exec(head)?.[1]);
        assert.ok(Number.isInteger(length), `GET ${path}: a response with a Content-Length expected:\n${head}`);
        if (this.buffer.length >= end + 4 + length) {
          const body = this.buffer.slice(end + 4, end + 4 + length);
          this.buffer = this.buffer.slice(end + 4 + length);
          return { status: Number(head.split(' ')[1]), head, body };
        }
      }
      assert.equal(
        this.ended,
        false,
        `GET ${path}: the connection closed before a whole response (${JSON.stringify(this.buffer)})`,
      );
      assert.ok(Date.now() < deadline, `GET ${path}: no whole response within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
        setTimeout(resolve, 100);
      });
      this.waiting = undefined;
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

function connect(port: number, cert?: TestCert): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = cert
      ? tls.connect({ host: '127.0.0.1', port, servername: DOMAIN, ca: cert.cert }, () =>
          resolve(new RawConnection(socket)),
        )
      : net.connect({ host: '127.0.0.1', port }, () => resolve(new RawConnection(socket)));
    socket.once('error', reject);
  });
}

/**
 * The local ports of the established IPv4 TCP connections to 127.0.0.1:`port` that another process
 * holds (the proxy's side of them): this process's own, such as the one Node's global agent keeps
 * from polling /health at start, are left out.
 */
async function connectionsTo(port: number): Promise<number[]> {
  const table = await readFile('/proc/net/tcp', 'utf8');
  const ours = new Set<string>();
  for (const fd of await readdir('/proc/self/fd')) {
    const link = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
    if (inode) ours.add(inode);
  }
  const target = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return table
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f[2] === target && f[3] === '01' && !ours.has(f[9]!)) // remote address, state ESTABLISHED, inode
    .map((f) => parseInt(f[1]!.split(':')[1]!, 16))
    .sort((a, b) => a - b);
}

describe(
  'idle keep-alive connections to the app outlast the pause, for every proxy setup',
  { concurrency: true },
  () => {
    for (const setup of SETUPS) {
      describe(`--proxy ${setup}`, TOOLS[setup].length > 0 ? needsTools(...TOOLS[setup]) : {}, () => {
        let app: GeneratedApp | undefined;
        let cert: TestCert | undefined;
        let running: RunningApp | undefined;
        let appPort: number;
        const cleanups: Array<() => Promise<unknown>> = [];

        before(
          async () => {
            appPort = await freePort();
            app = await generateApp([
              '--proxy',
              setup,
              '--port',
              String(appPort),
              '--domain',
              DOMAIN,
              ...(setup === 'custom' ? ['--trust-proxy', '127.0.0.1'] : []),
            ]);
            await installDeps(app.dir);
            cert = await makeCert(DOMAIN);
            const env: AppEnv = {
              PORT: String(appPort),
              HOST: '127.0.0.1',
              SESSION_SECRET: randomBytes(24).toString('hex'),
              SQLITE_PATH: join(app.root, 'sessions.db'),
              ...(setup === 'none' ? { TLS_CERT: cert.certPath, TLS_KEY: cert.keyPath } : {}),
            };
            running = await startApp({
              dir: app.dir,
              env,
              port: appPort,
              ...(setup === 'none' ? { tls: { ca: cert.cert, servername: DOMAIN } } : {}),
            });
          },
          { timeout: 10 * 60_000 },
        );

        after(async () => {
          for (const step of cleanups.reverse()) await step().catch(() => {});
          await running?.stop();
          await cert?.remove();
          await app?.remove();
        });

        it(
          `directly: a request ${IDLE_MS / 1000} s after the last one is answered on the same connection`,
          { timeout: 60_000 },
          async () => {
            const connection = await connect(appPort, setup === 'none' ? cert : undefined);
            try {
              const first = await connection.get('/health');
              assert.equal(first.status, 200, first.head);
              assert.doesNotMatch(first.head, /^connection:\s*close/im, 'the app keeps the connection open');
              await sleep(IDLE_MS);
              assert.equal(connection.closed, false, `the app closed the idle connection within ${IDLE_MS / 1000} s`);
              const second = await connection.get('/health');
              assert.equal(second.status, 200, second.head);
            } finally {
              connection.close();
            }
          },
        );

        if (setup === 'nginx' || setup === 'caddy') {
          const file = setup === 'nginx' ? 'deploy/nginx.conf' : 'deploy/Caddyfile';
          it(
            `through real ${setup} with the generated ${file}: a request ${IDLE_MS / 1000} s ` +
              `after the last succeeds on the connection ${setup} already had`,
            { timeout: 90_000 },
            async () => {
              let httpsPort: number;
              if (setup === 'nginx') {
                const site = await prepareNginx({ siteConfPath: join(app!.dir, file), cert: cert! });
                cleanups.push(site.remove);
                const nginx = await startNginx(site);
                cleanups.push(nginx.stop);
                httpsPort = site.httpsPort;
              } else {
                const site = await prepareCaddy({ caddyfilePath: join(app!.dir, file), cert: cert! });
                cleanups.push(site.remove);
                const caddy = await startCaddy(site);
                cleanups.push(caddy.stop);
                httpsPort = site.httpsPort;
              }
              const https = client({ port: httpsPort, hostname: DOMAIN, ca: cert!.cert });
              const first = await https.get('/health');
              assert.equal(first.status, 200, `${first.status} ${first.text}`);
              const before = await connectionsTo(appPort);
              assert.ok(before.length > 0, `${setup} keeps no connection to the app open after a request`);
              await sleep(IDLE_MS);
              const second = await https.get('/health');
              assert.equal(second.status, 200, `after ${IDLE_MS / 1000} s idle: ${second.status} ${second.text}`);
              const afterPause = await connectionsTo(appPort);
              assert.deepEqual(
                afterPause,
                before,
                `${setup}'s connections to the app (its local ports) before and after ` +
                  `the pause: the app closed the idle one, so ${setup} had to open another`,
              );
            },
          );
        }
      });
    }
  },
);
