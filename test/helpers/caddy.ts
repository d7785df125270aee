// Real Caddy in front of the app, using the generated deploy/Caddyfile, copied into a temp dir and
// rewritten for the test run (caddyfile-rewrite.ts says how), so what runs is what the user deploys.
// Caddy runs as `caddy run --config <file> --adapter caddyfile` with HOME, XDG_DATA_HOME and
// XDG_CONFIG_HOME in the temp dir, so nothing is read from or written to the machine's own Caddy
// (Debian may run one on port 80; it is never touched).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rewriteCaddyfile, type CaddyRewriteResult } from './caddyfile-rewrite.ts';
import { runProcess, type RunResult } from './cli.ts';
import { startListening } from './listening-process.ts';
import { makeTempDir } from './paths.ts';
import { freePorts } from './ports.ts';
import type { TestCert } from './tls.ts';
import { findTool } from './tools.ts';

export interface CaddyPrefix {
  /** The temp dir: the Caddyfile, storage, HOME and XDG dirs. */
  dir: string;
  caddyfile: string;
  /** The domain the sites were rewritten to (send it as Host and SNI). */
  domain: string;
  httpPort: number;
  httpsPort: number;
  rewrite: CaddyRewriteResult;
  /** Deletes the temp dir (stop Caddy first). */
  remove: () => Promise<void>;
}

/** Copies the Caddyfile into a fresh temp dir, rewritten for a test run. */
export async function prepareCaddy(options: {
  caddyfilePath: string;
  cert: TestCert;
  httpPort?: number;
  httpsPort?: number;
  /** Put these app ports behind the reverse_proxy instead of the generated one (see rewriteCaddyfile). */
  upstreamPorts?: number[];
}): Promise<CaddyPrefix> {
  const tmp = await makeTempDir('caddy');
  const dir = tmp.path;
  const [freeHttp, freeHttps] = await freePorts(2);
  const httpPort = options.httpPort ?? freeHttp!;
  const httpsPort = options.httpsPort ?? freeHttps!;
  const storageDir = join(dir, 'storage');
  await Promise.all(['storage', 'data', 'config', 'home'].map((sub) => mkdir(join(dir, sub))));
  const rewrite = rewriteCaddyfile(await readFile(options.caddyfilePath, 'utf8'), {
    domain: options.cert.domain,
    httpPort,
    httpsPort,
    certPath: options.cert.certPath,
    keyPath: options.cert.keyPath,
    storageDir,
    upstreamPorts: options.upstreamPorts,
  });
  const caddyfile = join(dir, 'Caddyfile');
  await writeFile(caddyfile, rewrite.text);
  return { dir, caddyfile, domain: options.cert.domain, httpPort, httpsPort, rewrite, remove: tmp.remove };
}

function caddyBin(): string {
  return findTool('caddy') ?? 'caddy';
}

/** Caddy's environment: its data, config and home in `dir`, never the machine's. */
function caddyEnv(dir: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: join(dir, 'home'),
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_CONFIG_HOME: join(dir, 'config'),
  };
}

/**
 * `caddy validate` on a prepared Caddyfile, or on any Caddyfile path (for instance the generated one,
 * as written: validation loads certificates named by `tls` but never binds a port or asks a CA).
 */
export async function caddyValidate(target: CaddyPrefix | string): Promise<RunResult> {
  const file = typeof target === 'string' ? target : target.caddyfile;
  const tmp = typeof target === 'string' ? await makeTempDir('caddy-validate') : undefined;
  const dir = typeof target === 'string' ? tmp!.path : target.dir;
  try {
    if (tmp) await Promise.all(['data', 'config', 'home'].map((sub) => mkdir(join(dir, sub))));
    return await runProcess(caddyBin(), ['validate', '--config', file, '--adapter', 'caddyfile'], {
      cwd: dir,
      env: caddyEnv(dir),
      timeoutMs: 30_000,
    });
  } finally {
    await tmp?.remove();
  }
}

/** `caddy fmt` of a Caddyfile: the text Caddy would format it to (equal to the file when it is formatted). */
export async function caddyFmt(path: string): Promise<RunResult> {
  return runProcess(caddyBin(), ['fmt', path], {
    cwd: tmpdir(),
    env: { PATH: process.env.PATH ?? '' },
    timeoutMs: 15_000,
  });
}

export interface RunningCaddy {
  prefix: CaddyPrefix;
  /** Caddy's stdout and stderr so far (its log, JSON lines). */
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts Caddy on a prepared Caddyfile and waits until it listens on the http and https ports. */
export async function startCaddy(p: CaddyPrefix, { timeoutMs = 15_000 } = {}): Promise<RunningCaddy> {
  const running = await startListening({
    name: 'caddy',
    command: caddyBin(),
    args: ['run', '--config', p.caddyfile, '--adapter', 'caddyfile'],
    options: { cwd: p.dir, env: caddyEnv(p.dir) },
    ports: [p.httpPort, p.httpsPort],
    timeoutMs,
    diagnose: async () => `--- Caddyfile as run ---\n${p.rewrite.text}`,
  });
  return { prefix: p, ...running };
}
