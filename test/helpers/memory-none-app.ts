// The app of the memory-none e2e tests, the other end of the choices: --store memory --proxy none,
// generated with the real CLI (in JavaScript, or with --typescript) and installed, and the test
// certificate it serves HTTPS with itself.
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import type { AppEnv } from './app-process.ts';
import { DOMAIN, PASSWORD, USER } from './constants.ts';
import { generateInstalledApp, type GeneratedApp } from './generated-app.ts';
import { freePort } from './ports.ts';
import { makeCert, type TestCert } from './tls.ts';

export interface MemoryNoneApp {
  readonly app: GeneratedApp;
  /** The port given with --port, the app's default. */
  readonly appPort: number;
  readonly cert: TestCert;
  /** SESSION_SECRET, 48 characters. */
  readonly secret: string;
  /** Production (NODE_ENV unset), memory store allowed, the test certificate, on 127.0.0.1. */
  prodEnv(overrides?: AppEnv): AppEnv;
}

/**
 * Registers, in the describe that calls it, the hooks that make the app (in `language`; started, as its
 * `npm start` does, from src/server.js or src/server.ts) and remove it; read it in tests.
 */
export function memoryNoneApp({ language = 'javascript' as 'javascript' | 'typescript' } = {}): MemoryNoneApp {
  let app: GeneratedApp | undefined;
  let appPort: number | undefined;
  let cert: TestCert | undefined;
  const secret = randomBytes(24).toString('hex');

  before(
    async () => {
      appPort = await freePort();
      const flags = [
        ...(language === 'typescript' ? ['--typescript'] : []),
        ...['--store', 'memory', '--proxy', 'none', '--port', String(appPort), '--domain', DOMAIN],
      ];
      app = await generateInstalledApp(flags);
      cert = await makeCert(DOMAIN);
    },
    { timeout: 10 * 60_000 },
  );

  after(async () => {
    await cert?.remove();
    await app?.remove();
  });

  return {
    get app() {
      return app!;
    },
    get appPort() {
      return appPort!;
    },
    get cert() {
      return cert!;
    },
    secret,
    prodEnv(overrides: AppEnv = {}): AppEnv {
      return {
        HOST: '127.0.0.1',
        SESSION_SECRET: secret,
        DEMO_USER: USER,
        DEMO_PASSWORD: PASSWORD,
        ALLOW_MEMORY_STORE: '1',
        TLS_CERT: cert!.certPath,
        TLS_KEY: cert!.keyPath,
        ...overrides,
      };
    },
  };
}
