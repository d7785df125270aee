// A tiny npm registry on 127.0.0.1 for the create-forms users type (`npm create secure-session-app`
// and its pnpm, yarn and bun twins), which fetch this package from a registry before running it.
// It answers this package's packument and tarball itself, from a fresh `npm pack` of this repository,
// and forwards every other request to the upstream registry (`npm config get registry`), so the
// generated app's dependencies come from where a user's would. Forwarding rather than redirecting:
// not every client follows a redirect for a packument.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir, REPO_ROOT } from './paths.ts';

const run = promisify(execFile);

export interface PackedPackage {
  name: string;
  version: string;
  /** The package.json inside the tarball. */
  manifest: Record<string, unknown>;
  tarball: Buffer;
}

/**
 * `npm pack` of this repository (build it first) as it would be published, but with a version of
 * its own (`0.1.0-e2e.<time>`): the managers' download caches, kept between runs, are keyed on
 * name@version, and must never hand back the tarball of an earlier run.
 */
export async function packThisRepo(): Promise<PackedPackage> {
  const manifest = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  const version = `${String(manifest.version)}-e2e.${Date.now()}`;
  const stage = await makeTempDir('pack');
  try {
    // What `files` lists, plus what npm always includes, copied so the version can differ.
    const files = [...(manifest.files as string[]), 'README.md'];
    for (const file of files) await cp(join(REPO_ROOT, file), join(stage.path, 'package', file), { recursive: true });
    const staged = { ...manifest, version };
    await writeFile(join(stage.path, 'package', 'package.json'), `${JSON.stringify(staged, null, 2)}\n`);
    const out = join(stage.path, 'out');
    await mkdir(out);
    const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], {
      cwd: join(stage.path, 'package'),
      timeout: 60_000,
    });
    const [result] = JSON.parse(stdout) as [{ filename: string }];
    return {
      name: String(manifest.name),
      version,
      manifest: staged,
      tarball: await readFile(join(out, result.filename)),
    };
  } finally {
    await stage.remove();
  }
}

export interface LocalRegistry {
  /** "http://127.0.0.1:<port>/" */
  url: string;
  /** Requests answered from the packed package (the rest were forwarded). */
  served: string[];
  close(): Promise<void>;
}

/** The registry npm reads from its config, as a user's client would use it. */
export async function upstreamRegistry(): Promise<string> {
  const { stdout } = await run('npm', ['config', 'get', 'registry'], { timeout: 30_000 });
  const url = stdout.trim();
  return url.endsWith('/') ? url : `${url}/`;
}

export async function startLocalRegistry(pkg: PackedPackage, upstream: string): Promise<LocalRegistry> {
  const served: string[] = [];
  const tarballName = `${pkg.name.replace(/^@[^/]+\//, '')}-${pkg.version}.tgz`;
  const tarballPath = `/${pkg.name}/-/${tarballName}`;
  const integrity = `sha512-${createHash('sha512').update(pkg.tarball).digest('base64')}`;
  const shasum = createHash('sha1').update(pkg.tarball).digest('hex');
  const upstreamUrl = new URL(upstream);
  let base = '';

  const packument = () => ({
    _id: pkg.name,
    name: pkg.name,
    'dist-tags': { latest: pkg.version },
    versions: {
      [pkg.version]: {
        ...pkg.manifest,
        _id: `${pkg.name}@${pkg.version}`,
        dist: { tarball: `${base}${tarballPath.slice(1)}`, integrity, shasum },
      },
    },
    time: { [pkg.version]: new Date().toISOString() },
  });

  const server = http.createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    if (path === `/${pkg.name}` && (req.method === 'GET' || req.method === 'HEAD')) {
      served.push(`${req.method} ${path}`);
      const body = JSON.stringify(packument());
      // never from a cache: an earlier run's `latest` must not be installed again
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'cache-control': 'no-cache, max-age=0',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    if (path === tarballPath && (req.method === 'GET' || req.method === 'HEAD')) {
      served.push(`${req.method} ${path}`);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': pkg.tarball.length });
      res.end(req.method === 'HEAD' ? undefined : pkg.tarball);
      return;
    }
    forward(req, res, upstreamUrl);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url: base,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Passes the request on to the upstream registry and its answer back, bytes as they come. */
function forward(req: http.IncomingMessage, res: http.ServerResponse, upstream: URL): void {
  const target = new URL(req.url!.replace(/^\//, ''), upstream);
  const headers = { ...req.headers, host: target.host };
  delete headers.connection;
  const request = (target.protocol === 'https:' ? https : http).request(
    target,
    { method: req.method, headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  request.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`upstream: ${error.message}`);
  });
  req.pipe(request);
}
