// Real nginx in front of the app, using the generated deploy/nginx.conf (a site config). The site
// config is copied into a temp prefix and only these lines are rewritten, so what runs is what the
// user deploys:
//   - `listen 80 ...;` / `listen 443 ...;` -> `listen 127.0.0.1:<free port> ...;` (IPv6 listens dropped)
//   - `ssl_certificate[_key] ...;` (and `ssl_trusted_certificate`) -> the test certificate
//   - absolute `access_log`/`error_log` paths -> files in the temp prefix
//   - only when asked (`upstreamPorts`): the `server 127.0.0.1:<port>;` lines of the `upstream`
//     block -> one such line per given port, to put several app instances behind it (round robin),
//     each with `max_fails=0`: tests stop and restart instances back to back, and nginx's default
//     (max_fails=1 fail_timeout=10s) would keep a restarted instance out for 10 s, answering 502
//     "no live upstreams" when the other one is stopped in that window
// It is wrapped in a minimal main config written here (pid, logs and temp paths in the prefix).
// The system nginx (Debian may start one on port 80) is never touched.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { runProcess, type RunResult } from './cli.ts';
import { startListening } from './listening-process.ts';
import { makeTempDir } from './paths.ts';
import { freePorts } from './ports.ts';
import type { TestCert } from './tls.ts';
import { findTool } from './tools.ts';

export interface RewriteOptions {
  httpPort: number;
  httpsPort: number;
  certPath: string;
  keyPath: string;
  logDir: string;
  /** Replace the upstream block's `server` lines with one per port (several app instances). */
  upstreamPorts?: number[];
}

export interface RewriteResult {
  text: string;
  /** One entry per changed line: "old -> new" (or "old -> (dropped)"). */
  changes: string[];
  httpListens: number;
  httpsListens: number;
  certificates: string[];
  certificateKeys: string[];
  /** The upstream `server` lines found in the source (before any rewrite). */
  upstreamServers: string[];
}

/** Pure: rewrites a site config's listen, certificate and log lines for a test run (see top of file). */
export function rewriteSiteConf(source: string, o: RewriteOptions): RewriteResult {
  const changes: string[] = [];
  let httpListens = 0;
  let httpsListens = 0;
  const certificates: string[] = [];
  const certificateKeys: string[] = [];
  const upstreamServers: string[] = [];
  let inUpstream = false;
  let upstreamRewritten = false;
  const lines = source.split('\n').flatMap((line): string | string[] => {
    if (/^\s*upstream\s+\S+\s*\{/.test(line)) {
      inUpstream = true;
      return line;
    }
    if (inUpstream) {
      if (/^\s*\}/.test(line)) inUpstream = false;
      const server = /^(\s*)server\s+([^\s;]+)([^;]*);(.*)$/.exec(line);
      if (server) {
        const [, indent = '', address = '', params = '', trailer = ''] = server;
        upstreamServers.push(address);
        if (o.upstreamPorts === undefined) return line;
        if (!/^127\.0\.0\.1:\d+$/.test(address)) {
          throw new Error(`nginx site config: unexpected upstream server (expected 127.0.0.1:<port>): ${line.trim()}`);
        }
        if (upstreamRewritten) {
          changes.push(`${line.trim()} -> (dropped)`);
          return [];
        }
        upstreamRewritten = true;
        const replacement = o.upstreamPorts.map(
          (port) => `${indent}server 127.0.0.1:${port}${params} max_fails=0;${trailer}`,
        );
        changes.push(`${line.trim()} -> ${replacement.map((r) => r.trim()).join(' ')}`);
        return replacement;
      }
      return line;
    }
    const listen = /^(\s*)listen\s+(\S+?)(\s[^;]*)?;(.*)$/.exec(line);
    if (listen) {
      const [, indent = '', address = '', params = '', trailer = ''] = listen;
      if (address.startsWith('[')) {
        changes.push(`${line.trim()} -> (dropped)`);
        return `${indent}# test: dropped IPv6 listen: ${line.trim()}`;
      }
      const port = address.replace(/^(\*|0\.0\.0\.0):/, '');
      let replacement: string;
      if (port === '80') {
        httpListens++;
        replacement = `${indent}listen 127.0.0.1:${o.httpPort}${params};${trailer}`;
      } else if (port === '443') {
        httpsListens++;
        replacement = `${indent}listen 127.0.0.1:${o.httpsPort}${params};${trailer}`;
      } else {
        throw new Error(`nginx site config: unexpected listen line (expected port 80 or 443): ${line.trim()}`);
      }
      changes.push(`${line.trim()} -> ${replacement.trim()}`);
      return replacement;
    }
    const cert = /^(\s*)(ssl_certificate|ssl_certificate_key|ssl_trusted_certificate)\s+([^;]+);(.*)$/.exec(line);
    if (cert) {
      const [, indent = '', directive = '', path = '', trailer = ''] = cert;
      const target = directive === 'ssl_certificate_key' ? o.keyPath : o.certPath;
      if (directive === 'ssl_certificate') certificates.push(path.trim());
      if (directive === 'ssl_certificate_key') certificateKeys.push(path.trim());
      const replacement = `${indent}${directive} ${target};${trailer}`;
      changes.push(`${line.trim()} -> ${replacement.trim()}`);
      return replacement;
    }
    const log = /^(\s*)(access_log|error_log)\s+(\/[^\s;]+)(.*)$/.exec(line);
    if (log) {
      const [, indent = '', directive = '', path = '', rest = ''] = log;
      const replacement = `${indent}${directive} ${join(o.logDir, basename(path))}${rest}`;
      changes.push(`${line.trim()} -> ${replacement.trim()}`);
      return replacement;
    }
    return line;
  });
  if (o.upstreamPorts !== undefined && !upstreamRewritten) {
    throw new Error('nginx site config: upstreamPorts given, but no `server` line in an `upstream` block to rewrite');
  }
  return { text: lines.join('\n'), changes, httpListens, httpsListens, certificates, certificateKeys, upstreamServers };
}

export interface NginxPrefix {
  prefix: string;
  mainConf: string;
  siteConf: string;
  errorLog: string;
  accessLog: string;
  httpPort: number;
  httpsPort: number;
  rewrite: RewriteResult;
  /** Deletes the prefix (stop nginx first). */
  remove: () => Promise<void>;
}

function mainConfText(prefix: string): string {
  const logs = join(prefix, 'logs');
  const tmp = join(prefix, 'tmp');
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return [
    '# Minimal main config written by the test harness around the generated site config.',
    // As root the workers would otherwise run as "nobody" and could not write the 0700 temp dirs.
    asRoot ? 'user root;' : '',
    'worker_processes 1;',
    'daemon off;',
    `pid ${join(logs, 'nginx.pid')};`,
    `error_log ${join(logs, 'error.log')} notice;`,
    'events { worker_connections 128; }',
    'http {',
    '    include mime.types;',
    '    default_type application/octet-stream;',
    // which app instance served each request, for tests with several behind the upstream
    `    log_format upstream '$remote_addr "$request" $status upstream=$upstream_addr';`,
    `    access_log ${join(logs, 'access.log')} upstream;`,
    `    client_body_temp_path ${join(tmp, 'client_body')};`,
    `    proxy_temp_path ${join(tmp, 'proxy')};`,
    `    fastcgi_temp_path ${join(tmp, 'fastcgi')};`,
    `    uwsgi_temp_path ${join(tmp, 'uwsgi')};`,
    `    scgi_temp_path ${join(tmp, 'scgi')};`,
    '    include site.conf;',
    '}',
    '',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

/** Copies the site config into a fresh prefix, rewritten for a test run, with its main config. */
export async function prepareNginx(options: {
  siteConfPath: string;
  cert: TestCert;
  httpPort?: number;
  httpsPort?: number;
  /** Put these app ports behind the upstream instead of the generated one (see rewriteSiteConf). */
  upstreamPorts?: number[];
}): Promise<NginxPrefix> {
  const tmp = await makeTempDir('nginx');
  const prefix = tmp.path;
  const [freeHttp, freeHttps] = await freePorts(2);
  const httpPort = options.httpPort ?? freeHttp!;
  const httpsPort = options.httpsPort ?? freeHttps!;
  const conf = join(prefix, 'conf');
  const logs = join(prefix, 'logs');
  await Promise.all([mkdir(conf), mkdir(logs), mkdir(join(prefix, 'tmp'))]);
  const rewrite = rewriteSiteConf(await readFile(options.siteConfPath, 'utf8'), {
    httpPort,
    httpsPort,
    certPath: options.cert.certPath,
    keyPath: options.cert.keyPath,
    logDir: logs,
    upstreamPorts: options.upstreamPorts,
  });
  const siteConf = join(conf, 'site.conf');
  const mainConf = join(conf, 'main.conf');
  await writeFile(siteConf, rewrite.text);
  await writeFile(mainConf, mainConfText(prefix));
  if (existsSync('/etc/nginx/mime.types')) await copyFile('/etc/nginx/mime.types', join(conf, 'mime.types'));
  else await writeFile(join(conf, 'mime.types'), 'types { text/html html; application/json json; }\n');
  return {
    prefix,
    mainConf,
    siteConf,
    errorLog: join(logs, 'error.log'),
    accessLog: join(logs, 'access.log'),
    httpPort,
    httpsPort,
    rewrite,
    remove: tmp.remove,
  };
}

function nginxArgs(p: NginxPrefix): string[] {
  // -e: the error log before the config is read (otherwise the compiled-in /var/log/nginx/error.log)
  return ['-p', `${p.prefix}/`, '-c', p.mainConf, '-e', p.errorLog];
}

function nginxBin(): string {
  return findTool('nginx') ?? 'nginx';
}

/** `nginx -t` on a prepared prefix. */
export async function nginxTest(p: NginxPrefix): Promise<RunResult> {
  return runProcess(nginxBin(), ['-t', ...nginxArgs(p)], {
    cwd: p.prefix,
    env: { PATH: process.env.PATH ?? '' },
    timeoutMs: 15_000,
  });
}

export interface RunningNginx {
  prefix: NginxPrefix;
  output: () => string;
  errorLog: () => Promise<string>;
  /** The access log (format: `<ip> "<request>" <status> upstream=<addr>[, <addr>]`). */
  accessLog: () => Promise<string>;
  stop: () => Promise<void>;
}

export async function startNginx(p: NginxPrefix, { timeoutMs = 10_000 } = {}): Promise<RunningNginx> {
  const errorLog = async () => (existsSync(p.errorLog) ? readFile(p.errorLog, 'utf8') : '');
  const running = await startListening({
    name: 'nginx',
    command: nginxBin(),
    args: nginxArgs(p),
    // its own process group, so stop() reaches the workers too
    options: { cwd: p.prefix, env: { PATH: process.env.PATH ?? '' }, detached: true },
    group: true,
    ports: [p.httpPort, p.httpsPort],
    timeoutMs,
    diagnose: async () => `--- error.log ---\n${await errorLog()}`,
  });
  return {
    prefix: p,
    ...running,
    errorLog,
    accessLog: async () => (existsSync(p.accessLog) ? readFile(p.accessLog, 'utf8') : ''),
  };
}
