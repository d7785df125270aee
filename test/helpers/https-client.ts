// Minimal HTTP(S) client for the e2e tests: talks only to 127.0.0.x, sends SNI and Host for the test
// domain, trusts the test certificate, keeps a tiny cookie jar, and returns every Set-Cookie line.
import http from 'node:http';
import https from 'node:https';
import { DOMAIN } from './constants.ts';

export interface SetCookie {
  name: string;
  value: string;
  /** Attribute names lower-cased; flags (HttpOnly, Secure) map to "". */
  attributes: Map<string, string>;
  raw: string;
}

export function parseSetCookie(raw: string): SetCookie {
  const [pair = '', ...attrs] = raw.split(';');
  const eq = pair.indexOf('=');
  const name = (eq === -1 ? pair : pair.slice(0, eq)).trim();
  const value = eq === -1 ? '' : pair.slice(eq + 1).trim();
  const attributes = new Map<string, string>();
  for (const attr of attrs) {
    const i = attr.indexOf('=');
    const key = (i === -1 ? attr : attr.slice(0, i)).trim().toLowerCase();
    if (key) attributes.set(key, i === -1 ? '' : attr.slice(i + 1).trim());
  }
  return { name, value, attributes, raw };
}

/**
 * Lifetime of a cookie in seconds from now, from Max-Age (preferred, as browsers do) or Expires; undefined for a
 * session cookie.
 */
export function cookieLifetimeSeconds(cookie: SetCookie, now = Date.now()): number | undefined {
  const maxAge = cookie.attributes.get('max-age');
  if (maxAge !== undefined) return Number(maxAge);
  const expires = cookie.attributes.get('expires');
  if (expires !== undefined) return (Date.parse(expires) - now) / 1000;
  return undefined;
}

/** name -> value; what a browser would send back (ignores Path/Domain: one host, all paths "/"). */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  constructor(initial: Record<string, string> = {}) {
    for (const [k, v] of Object.entries(initial)) this.cookies.set(k, v);
  }

  store(setCookies: string[]): void {
    for (const raw of setCookies) {
      const cookie = parseSetCookie(raw);
      const lifetime = cookieLifetimeSeconds(cookie);
      if (lifetime !== undefined && lifetime <= 0) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  clone(): CookieJar {
    return new CookieJar(Object.fromEntries(this.cookies));
  }
}

export interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** [name, value] pairs as received, names lower-cased; use to count repeated headers. */
  rawHeaders: Array<[string, string]>;
  setCookies: string[];
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface RequestOptions {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  /** Sent as JSON (sets content-type). */
  json?: unknown;
  /** Sent as it is (e.g. a malformed JSON body, with its content-type in `headers`); `json` wins. */
  body?: string;
  jar?: CookieJar;
  timeoutMs?: number;
}

export interface ClientOptions {
  port: number;
  /** Must be on the loopback range. */
  address?: string;
  /** Host header and (for HTTPS) SNI name. */
  hostname?: string;
  /** For HTTPS: the PEM to trust. Without it the client is plain HTTP. */
  ca?: string;
  /**
   * Reuse connections through this agent (an https.Agent for HTTPS), as a browser does; default: a
   * new connection per request.
   */
  agent?: http.Agent;
  /** Headers sent with every request (a request's own headers win). */
  headers?: Record<string, string>;
  /**
   * The client socket's own address (on the loopback range), to be seen as another machine:
   * 127.0.0.2 talking to a server on 127.0.0.1. Default: the system's choice (127.0.0.1).
   */
  localAddress?: string;
}

const LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

export function client(options: ClientOptions) {
  const { port, address = '127.0.0.1', hostname = DOMAIN, ca, agent, headers, localAddress } = options;
  if (!LOOPBACK.test(address)) throw new Error(`test client refuses non-loopback address ${address}`);
  if (localAddress !== undefined && !LOOPBACK.test(localAddress))
    throw new Error(`test client refuses non-loopback local address ${localAddress}`);
  const secure = ca !== undefined;
  const c = { port, address, hostname, ca, secure, agent, headers, localAddress };
  return {
    request: (r: RequestOptions = {}) => request(c, r),
    get: (path: string, r: Omit<RequestOptions, 'path' | 'method'> = {}) => request(c, { ...r, path, method: 'GET' }),
    post: (path: string, r: Omit<RequestOptions, 'path' | 'method'> = {}) => request(c, { ...r, path, method: 'POST' }),
  };
}

export type Client = ReturnType<typeof client>;

function request(
  c: {
    port: number;
    address: string;
    hostname: string;
    ca?: string;
    secure: boolean;
    agent?: http.Agent;
    headers?: Record<string, string>;
    localAddress?: string;
  },
  r: RequestOptions,
): Promise<Response> {
  const { method = 'GET', path = '/', jar, timeoutMs = 10_000 } = r;
  const headers: Record<string, string> = { host: c.hostname, ...(c.headers ?? {}), ...(r.headers ?? {}) };
  let body: string | undefined;
  if (r.json !== undefined) {
    body = JSON.stringify(r.json);
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  } else if (r.body !== undefined) {
    body = r.body;
    headers['content-length'] = String(Buffer.byteLength(body));
  } else if (method !== 'GET' && method !== 'HEAD') {
    headers['content-length'] ??= '0';
  }
  const cookie = jar?.header();
  if (cookie !== undefined && headers.cookie === undefined) headers.cookie = cookie;

  return new Promise((resolve, reject) => {
    const base = {
      host: c.address,
      port: c.port,
      method,
      path,
      headers,
      agent: c.agent ?? (false as const),
      ...(c.localAddress === undefined ? {} : { localAddress: c.localAddress }),
    };
    const req = c.secure ? https.request({ ...base, servername: c.hostname, ca: c.ca }) : http.request(base);
    req.setTimeout(timeoutMs, () =>
      req.destroy(new Error(`${method} ${path} on port ${c.port}: no response within ${timeoutMs} ms`)),
    );
    req.once('error', reject);
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.once('error', reject);
      res.once('end', () => {
        const rawHeaders: Array<[string, string]> = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          rawHeaders.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
        }
        const setCookies = rawHeaders.filter(([k]) => k === 'set-cookie').map(([, v]) => v);
        jar?.store(setCookies);
        let json: unknown;
        try {
          json = text === '' ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders, setCookies, text, json });
      });
    });
    req.end(body);
  });
}

/** The values of every occurrence of `name` in a response. */
export function headerValues(res: Response, name: string): string[] {
  const lower = name.toLowerCase();
  return res.rawHeaders.filter(([k]) => k === lower).map(([, v]) => v);
}

/** The Set-Cookie of `name`, failing when there are several. */
export function findSetCookie(res: Response, name: string): SetCookie | undefined {
  const found = res.setCookies.map(parseSetCookie).filter((c) => c.name === name);
  if (found.length > 1)
    throw new Error(`${found.length} Set-Cookie headers for ${name}: ${found.map((c) => c.raw).join(' | ')}`);
  return found[0];
}
