// One app process of a security deployment, restartable on the same port, behind its front, and
// the account it is logged into with. Every process and front is stopped by the deployment's cleanups.
import { addUser, removeUser, startApp, type AppEnv, type RunningApp } from './app-process.ts';
import { DOMAIN, PASSWORD, USER } from './constants.ts';
import { client, type Client } from './https-client.ts';
import { startFront } from './security-fronts.ts';
import type { SecuritySetup } from './security-setups.ts';
import type { TestCert } from './tls.ts';

/** What every process of one deployment shares. */
export interface DeployContext {
  setup: SecuritySetup;
  cert: TestCert;
  /** The app's variable for its store's URL or path (src/stores: SQLITE_PATH, REDIS_URL, DATABASE_URL). */
  urlEnv: string;
  /** Steps run last in first out when the deployment closes. */
  cleanups: Array<() => Promise<unknown>>;
}

/** One app process (restartable on the same port) and its front. */
export interface Instance {
  label: string;
  appPort: number;
  /** Where HTTPS is served on 127.0.0.1: the front's TLS port (for `none`: the app's own). */
  tlsPort: number;
  /** Where plain HTTP goes on 127.0.0.1: the front's port 80 (for `none`: the app's TLS port). */
  httpPort: number;
  /** HTTPS through the front (for `none`: to the app itself), from `localAddress` (127.0.0.x). */
  https(o?: { localAddress?: string; headers?: Record<string, string> }): Client;
  /** Plain HTTP to the front's port 80 (for `none`: plain HTTP to the app's TLS port). */
  http(o?: { localAddress?: string }): Client;
  /** Straight to the app's port, bypassing the front: plain HTTP, or HTTPS when the app serves it. */
  direct(o?: { localAddress?: string; headers?: Record<string, string> }): Client;
  /** Stops the app and starts it again on the same port with the environment changed by `overrides`. */
  restart(overrides?: AppEnv): Promise<void>;
  /** Everything every process of this instance printed on stderr. */
  stderr(): string;
  stop(): Promise<void>;
}

export interface InstanceOptions {
  label: string;
  dir: string;
  port: number;
  /** The port the app was generated for (its front's upstream is rewritten when `port` differs). */
  generatedPort: number;
  env: (overrides?: AppEnv) => AppEnv;
}

/** A function that starts instances of the deployment's apps, each after making sure its account exists. */
export function instanceStarter(ctx: DeployContext): (o: InstanceOptions) => Promise<Instance> {
  const { setup, cert, cleanups } = ctx;
  // The account, made with the app's own user:add before its first start (production takes no password
  // from the environment), once per app and store. Replaced should an earlier run with the same names
  // have left it (the run's database and keys are its own: security-deployment.ts), removed at the end.
  const accounts = new Map<string, Promise<void>>();
  const ensureAccount = (dir: string, appEnv: AppEnv) => {
    const key = `${dir}|${appEnv[ctx.urlEnv]}`;
    if (!accounts.has(key)) {
      accounts.set(
        key,
        addUser(dir, appEnv, { name: USER, password: PASSWORD }, { replace: setup.store !== 'sqlite' }),
      );
      if (setup.store !== 'sqlite') cleanups.push(() => removeUser(dir, appEnv, USER).catch(() => {}));
    }
    return accounts.get(key)!;
  };

  return async (o) => {
    await ensureAccount(o.dir, o.env());
    const startProcess = (overrides?: AppEnv) =>
      startApp({
        dir: o.dir,
        env: o.env(overrides),
        port: o.port,
        ...(setup.proxy === 'none' ? { tls: { ca: cert.cert, servername: cert.domain } } : {}),
      });
    let running: RunningApp | undefined = await startProcess();
    let pastStderr = '';
    cleanups.push(async () => running?.stop());
    const front = await startFront(setup, cert, {
      appDir: o.dir,
      appPort: o.port,
      generatedPort: o.generatedPort,
      label: o.label,
    });
    if (front) cleanups.push(front.remove, front.stop);
    const tlsPort = front?.httpsPort ?? o.port;
    const httpPort = front?.httpPort ?? o.port;
    return {
      label: o.label,
      appPort: o.port,
      tlsPort,
      httpPort,
      https: ({ localAddress, headers } = {}) =>
        client({ port: tlsPort, hostname: DOMAIN, ca: cert.cert, localAddress, headers }),
      http: ({ localAddress } = {}) => client({ port: httpPort, hostname: DOMAIN, localAddress }),
      direct: ({ localAddress, headers } = {}) =>
        client({
          port: o.port,
          hostname: DOMAIN,
          localAddress,
          headers,
          ...(setup.proxy === 'none' ? { ca: cert.cert } : {}),
        }),
      restart: async (overrides) => {
        const old = running;
        running = undefined;
        await old?.stop();
        pastStderr += old?.stderr() ?? '';
        running = await startProcess(overrides);
      },
      stderr: () => pastStderr + (running?.stderr() ?? ''),
      stop: async () => {
        await running?.stop();
      },
    };
  };
}
