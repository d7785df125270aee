// How the verifier reaches the deployment, with Node's own clients: HTTPS and plain-HTTP requests,
// bare TLS handshakes, and the cookies an answer sets. With `connectTo` (as curl's --connect-to) every
// connection goes to that address, while the URL's host stays the TLS name (SNI) and the Host header:
// a server can be checked before the DNS points at it.
import http from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import tls from 'node:tls';

/** Where the deployment is, and how to reach it. */
export interface Target {
  /** https://host[:port] */
  url: URL;
  /** Connect here instead of resolving the URL's host (an IP address or a host name). */
  connectTo?: string;
  /** The plain-HTTP port of the same host, for the redirect (80 unless told). */
  httpPort: number;
  /** Skip certificate validation (a test certificate). */
  insecure: boolean;
}

export interface SetCookie {
  name: string;
  value: string;
  /** Attribute names in lower case ("secure", "samesite"), with their values ("" for flags). */
  attributes: Map<string, string>;
  raw: string;
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  /** Each header's values, one entry per header line (a repeated header is not joined). */
  headersDistinct: Record<string, string[]>;
  body: string;
  cookies: SetCookie[];
}

export interface RequestOptions {
  path: string;
  method?: string;
  scheme?: 'https' | 'http';
  /** Sent as they are; a `host` here replaces the URL's. */
  headers?: Record<string, string>;
  cookies?: Record<string, string>;
  json?: unknown;
}

const TIMEOUT_MS = 10_000;

/** The URL's host name without the brackets of an IPv6 address. */
export function hostName(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** The HTTPS port the URL names. */
export function httpsPort(url: URL): number {
  return Number(url.port || 443);
}

/** TLS options for the URL's host: its name as SNI (an IP address is never sent as one) and the certificate check. */
function tlsOptions(target: Target): tls.ConnectionOptions {
  const name = hostName(target.url);
  return {
    ...(isIP(name) ? {} : { servername: name }),
    rejectUnauthorized: !target.insecure,
    // the name to check the certificate against is the URL's, not the --connect-to address
    checkServerIdentity: (_host, cert) => tls.checkServerIdentity(name, cert),
  };
}

/** request(), with a failed connection as the error instead of a rejection: a check reports it. */
export function attempt(target: Target, o: RequestOptions): Promise<Answer | NodeJS.ErrnoException> {
  return request(target, o).catch((error: NodeJS.ErrnoException) => error);
}

export function request(target: Target, o: RequestOptions): Promise<Answer> {
  const secure = (o.scheme ?? 'https') === 'https';
  const port = secure ? httpsPort(target.url) : target.httpPort;
  const defaultPort = secure ? 443 : 80;
  const body = o.json === undefined ? undefined : JSON.stringify(o.json);
  const headers: Record<string, string> = {
    host: port === defaultPort ? target.url.hostname : `${target.url.hostname}:${port}`,
    accept: 'application/json',
    ...(body !== undefined && {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
    }),
    ...(o.cookies && {
      cookie: Object.entries(o.cookies)
        .map(([name, value]) => `${name}=${value}`)
        .join('; '),
    }),
    ...o.headers,
  };
  const options = {
    host: target.connectTo ?? hostName(target.url),
    port,
    method: o.method ?? 'GET',
    path: o.path,
    headers,
    agent: false, // a connection per request: each check sees the deployment afresh
    timeout: TIMEOUT_MS,
    ...(secure && tlsOptions(target)),
  };
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(options, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          headersDistinct: res.headersDistinct as Record<string, string[]>,
          body: text,
          cookies: (res.headers['set-cookie'] ?? []).map(parseSetCookie),
        }),
      );
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('no answer within 10 s'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}

export function parseSetCookie(raw: string): SetCookie {
  const [pair = '', ...rest] = raw.split(';');
  const eq = pair.indexOf('=');
  const attributes = new Map<string, string>();
  for (const part of rest) {
    const at = part.indexOf('=');
    const name = (at === -1 ? part : part.slice(0, at)).trim().toLowerCase();
    if (name !== '') attributes.set(name, at === -1 ? '' : part.slice(at + 1).trim());
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes, raw };
}

/** The body as JSON, or undefined when it is none. */
export function jsonOf(answer: Answer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(answer.body);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export type Handshake =
  { ok: true; protocol: string | null; cert: tls.PeerCertificate } | { ok: false; error: NodeJS.ErrnoException };

/** A TLS handshake with the deployment (no request), limited to the versions and ciphers given. */
export function handshake(
  target: Target,
  o: { minVersion?: tls.SecureVersion; maxVersion?: tls.SecureVersion; ciphers?: string; verify: boolean },
): Promise<Handshake> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: target.connectTo ?? hostName(target.url),
      port: httpsPort(target.url),
      ...tlsOptions(target),
      rejectUnauthorized: o.verify,
      ...(o.minVersion && { minVersion: o.minVersion }),
      ...(o.maxVersion && { maxVersion: o.maxVersion }),
      ...(o.ciphers && { ciphers: o.ciphers }),
    });
    socket.setTimeout(TIMEOUT_MS, () =>
      socket.destroy(Object.assign(new Error('no TLS answer within 10 s'), { code: 'ETIMEDOUT' })),
    );
    socket.once('secureConnect', () => {
      resolve({ ok: true, protocol: socket.getProtocol(), cert: socket.getPeerCertificate() });
      socket.destroy();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, error }));
  });
}

/** An error's code and first line, for one line of output. */
export function describeError(error: NodeJS.ErrnoException): string {
  const message = (error.message.split('\n')[0] ?? '').replace(/^[0-9A-F]+:error:[0-9A-F]+:SSL routines:/, '');
  return error.code && !message.includes(error.code) ? `${error.code}: ${message}` : message;
}
