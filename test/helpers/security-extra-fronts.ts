// The fronts a security deployment starts on demand besides each instance's own: two instances of
// the main app behind one more nginx (the shared login throttle), and the generated front with an
// echo server in the app's place (what the app is sent, without asking the app).
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { startApp, type AppEnv } from './app-process.ts';
import { DOMAIN } from './constants.ts';
import { client, type Client } from './https-client.ts';
import { prepareNginx, startNginx } from './nginx.ts';
import { freePorts } from './ports.ts';
import { startFront } from './security-fronts.ts';
import type { DeployContext } from './security-instance.ts';

/** Two instances of the main app on its store, behind one nginx that balances between them (round robin). */
export interface Pair {
  /** HTTPS through that nginx, from `localAddress` (127.0.0.x). */
  https(o?: { localAddress?: string }): Client;
  /** The app ports of the two instances. */
  ports: [number, number];
  /** The nginx access log (`<ip> "<request>" <status> upstream=<addr>`). */
  accessLog(): Promise<string>;
  stderr(): string;
}

/** What a server in the app's place received, as it answers it (JSON). */
export interface Echoed {
  headers: IncomingHttpHeaders;
  /** Every header line as received: name, value, name, value... */
  rawHeaders: string[];
  /** The peer of the connection: the front. */
  remoteAddress: string;
}

export interface EchoFront {
  /** HTTPS through the generated front to the echo server, from `localAddress` (127.0.0.x). */
  https(o?: { localAddress?: string }): Client;
  /** Requests the echo server has answered. */
  readonly served: number;
}

/**
 * Two more instances of the main app (in `appDir`, with the environment `env(port)`) behind one more generated nginx.
 */
export async function startPair(ctx: DeployContext, appDir: string, env: (port: number) => AppEnv): Promise<Pair> {
  const { setup, cert, cleanups } = ctx;
  if (setup.proxy !== 'nginx')
    throw new Error(`pair() runs two instances behind the generated nginx.conf; ${setup.id} has none`);
  const ports = (await freePorts(2)) as [number, number];
  const running = await Promise.all(ports.map((port) => startApp({ dir: appDir, env: env(port), port })));
  for (const r of running) cleanups.push(() => r.stop());
  const site = await prepareNginx({ siteConfPath: join(appDir, 'deploy', 'nginx.conf'), cert, upstreamPorts: ports });
  cleanups.push(site.remove);
  const nginx = await startNginx(site);
  cleanups.push(() => nginx.stop());
  return {
    https: ({ localAddress } = {}) => client({ port: site.httpsPort, hostname: DOMAIN, ca: cert.cert, localAddress }),
    ports,
    accessLog: () => nginx.accessLog(),
    stderr: () => running.map((r) => r.stderr()).join(''),
  };
}

/** The front generated in `appDir` (for `generatedPort`), its upstream rewritten to an echo server's port. */
export async function startEchoFront(ctx: DeployContext, appDir: string, generatedPort: number): Promise<EchoFront> {
  const { setup, cert, cleanups } = ctx;
  if (setup.proxy !== 'nginx' && setup.proxy !== 'caddy')
    throw new Error(`echoFront() runs the generated proxy config; ${setup.id} has none`);
  let served = 0;
  const echo = createServer((req, res) => {
    served++;
    const body: Echoed = {
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      remoteAddress: req.socket.remoteAddress ?? '',
    };
    req.resume();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  });
  const [echoPort] = (await freePorts(1)) as [number];
  await new Promise<void>((resolve, reject) => {
    echo.once('error', reject);
    echo.listen(echoPort, '127.0.0.1', () => resolve());
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        echo.closeAllConnections();
        echo.close(() => resolve());
      }),
  );
  const front = (await startFront(setup, cert, { appDir, appPort: echoPort, generatedPort, label: 'echo' }))!;
  cleanups.push(front.remove, front.stop);
  return {
    https: ({ localAddress } = {}) => client({ port: front.httpsPort, hostname: DOMAIN, ca: cert.cert, localAddress }),
    get served() {
      return served;
    },
  };
}
