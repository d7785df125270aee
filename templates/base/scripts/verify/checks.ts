// The checks that need no account: HTTPS, the certificate, old TLS versions, the plain-HTTP redirect,
// HSTS, unknown host names, the anonymous CSRF cookie and the CSRF guard. Each one is a row of CHECKS;
// what each means on this app's setup comes from scripts/verify/proxy.ts.
import { csrfCookieName } from '../../src/csrf.ts';
import { cookieProblems } from './cookies.ts';
import { isRedirect, sessionRedirectCause } from './forwarding.ts';
import { attempt, describeError, handshake, hostName, httpsPort, jsonOf } from './http.ts';
import type { Answer, Target } from './http.ts';
import { fail, pass, skip } from './report.ts';
import type { Outcome } from './report.ts';

/** What the checks mean on this app's setup, and the fixes they name: scripts/verify/proxy.ts. */
export interface ProxySetup {
  /** Who answers HTTPS, in words: "nginx (deploy/nginx.conf)". */
  front: string;
  /** Plain HTTP must be redirected; or (the app serves HTTPS itself) either nothing answers it or it redirects. */
  plainHttp: 'redirect' | 'refused-or-redirect';
  /** Why nothing answering plain HTTP is fine, where it is. */
  plainHttpNote?: string;
  /** Why an unknown Host cannot be refused on this setup; absent where it must be. */
  unknownHostNotChecked?: string;
  /** Whether a login without a session cookie can be a proxy's fault (X-Forwarded-Proto, TRUST_PROXY). */
  behindProxy: boolean;
  fixes: {
    /** Nothing answers HTTPS. */
    https: string;
    /** HTTPS answers, but not the app. */
    upstream: string;
    redirect: string;
    hstsMissing: string;
    hstsDoubled: string;
    oldTls: string;
    unknownHost: string;
    /** The proxy does not set X-Forwarded-Proto (so the app never sees HTTPS). */
    forwardedProto: string;
    /** The app does not believe the proxy's X-Forwarded-Proto: TRUST_PROXY does not include it. */
    trustProxy: string;
  };
}

export interface Context {
  target: Target;
  proxy: ProxySetup;
}

export interface Check {
  id: string;
  title: string;
  run: (ctx: Context) => Promise<Outcome>;
}

const CSRF_COOKIE = csrfCookieName({ production: true, sessionSecrets: [] });
const YEAR_S = 31_536_000;
// Node's OpenSSL offers TLS 1.0 and 1.1 only at security level 0: this asks for them, to see whether
// the server agrees.
const OLD_TLS_CIPHERS = 'DEFAULT:@SECLEVEL=0';
// Errors raised before anything was sent: the client could not offer the version, so nothing was learnt.
const CANNOT_OFFER = new Set(['ERR_SSL_NO_PROTOCOLS_AVAILABLE', 'ERR_SSL_NO_CIPHERS_AVAILABLE']);
const OPENSSL_FLAG = { TLSv1: 'tls1', 'TLSv1.1': 'tls1_1' } as const;
const UNKNOWN_HOST = 'unknown.invalid';
// The connection itself failed: nothing was learnt of TLS or HTTP.
const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** A request error as a failed check: the connection failed, so say where, and what runs there. */
function unreachable(ctx: Context, error: NodeJS.ErrnoException, what: string): Outcome {
  const where = `${ctx.target.connectTo ?? hostName(ctx.target.url)}:${httpsPort(ctx.target.url)}`;
  return fail(`${what} failed: ${describeError(error)} (${where})`, ctx.proxy.fixes.https);
}

const healthy = (answer: Answer) => answer.status === 200 && jsonOf(answer)?.status === 'ok';

export const CHECKS: readonly Check[] = [
  {
    id: 'certificate',
    title: 'the certificate is valid for the host',
    async run(ctx) {
      const { target } = ctx;
      if (target.insecure) {
        return skip('NOT CHECKED: --insecure was given, so any certificate is accepted; only for a test certificate');
      }
      const name = hostName(target.url);
      const result = await handshake(target, { verify: true });
      if (!result.ok && CONNECTION_ERRORS.has(result.error.code ?? '')) {
        return unreachable(ctx, result.error, 'the TLS handshake');
      }
      if (result.ok) {
        const issuer = result.cert.issuer?.O ?? result.cert.issuer?.CN ?? 'an unnamed issuer';
        return pass(`issued by ${issuer}, valid until ${result.cert.valid_to}`);
      }
      return fail(
        `the TLS handshake with ${name} failed: ${describeError(result.error)}`,
        `install a certificate for ${name} from a certificate authority browsers trust (Let's Encrypt, for one); ` +
          'to check a deployment with a test certificate, trust it with NODE_EXTRA_CA_CERTS=<file>, or use --insecure',
      );
    },
  },
  {
    id: 'https',
    title: 'GET /health answers over HTTPS',
    async run(ctx) {
      const answer = await attempt(ctx.target, { path: '/health' });
      if (answer instanceof Error) return unreachable(ctx, answer, 'HTTPS');
      if (healthy(answer)) return pass('200 {"status":"ok"}');
      if (answer.status === 502 || answer.status === 504) {
        return fail(`${ctx.proxy.front} answered ${answer.status}: it cannot reach the app`, ctx.proxy.fixes.upstream);
      }
      if (answer.status === 503) {
        return fail('the app answered 503: its session store does not answer', 'check the store the app is given');
      }
      return fail(`answered ${answer.status}, not the app's 200 {"status":"ok"}`, ctx.proxy.fixes.upstream);
    },
  },
  {
    id: 'old-tls',
    title: 'TLS 1.0 and 1.1 are refused',
    async run(ctx) {
      const allowed: string[] = [];
      for (const version of ['TLSv1', 'TLSv1.1'] as const) {
        const result = await handshake(ctx.target, {
          minVersion: version,
          maxVersion: version,
          ciphers: OLD_TLS_CIPHERS,
          verify: false,
        });
        if (result.ok) allowed.push(result.protocol ?? version);
        else if (CANNOT_OFFER.has(result.error.code ?? '')) {
          return fail(
            `not checked: this Node's OpenSSL (${process.versions.openssl}) could not offer ${version} ` +
              `(${describeError(result.error)}), so the server's answer is unknown`,
            `check it with another client: openssl s_client -connect <host>:<port> -${OPENSSL_FLAG[version]}`,
          );
        } else if (CONNECTION_ERRORS.has(result.error.code ?? '')) {
          return unreachable(ctx, result.error, `a ${version} handshake`);
        }
      }
      if (allowed.length === 0) return pass('the server refused both handshakes');
      return fail(`the server agreed to ${allowed.join(' and ')}`, ctx.proxy.fixes.oldTls);
    },
  },
  {
    id: 'http-redirect',
    title: 'plain HTTP redirects to HTTPS on the same host',
    async run(ctx) {
      const { target, proxy } = ctx;
      const name = hostName(target.url);
      const answer = await attempt(target, { scheme: 'http', path: '/' });
      const where = `port ${target.httpPort}`;
      if (answer instanceof Error) {
        if (proxy.plainHttp === 'refused-or-redirect') {
          return pass(
            `nothing answers plain HTTP on ${where} (${answer.code ?? answer.message}): ${proxy.plainHttpNote}`,
          );
        }
        return fail(`plain HTTP on ${where} gets no answer: ${describeError(answer)}`, proxy.fixes.redirect);
      }
      const location = URL.canParse(String(answer.headers.location)) ? new URL(String(answer.headers.location)) : null;
      if (!isRedirect(answer) || !location) {
        return fail(`plain HTTP GET / on ${where} answered ${answer.status}, not a redirect`, proxy.fixes.redirect);
      }
      if (location.protocol !== 'https:' || hostName(location) !== name) {
        return fail(`plain HTTP redirects to ${location.href}, not to https://${name}/`, proxy.fixes.redirect);
      }
      if (answer.cookies.length > 0) {
        return fail(`the redirect sets a cookie over plain HTTP: ${answer.cookies[0]!.name}`, proxy.fixes.redirect);
      }
      return pass(`${answer.status} to ${location.href}`);
    },
  },
  {
    id: 'hsts',
    title: 'exactly one Strict-Transport-Security header, max-age of at least a year',
    async run(ctx) {
      for (const path of ['/health', '/session', '/no-such-page']) {
        const answer = await attempt(ctx.target, { path });
        if (answer instanceof Error) return unreachable(ctx, answer, `GET ${path}`);
        const values = answer.headersDistinct['strict-transport-security'] ?? [];
        if (values.length === 0) {
          return fail(`GET ${path} has no Strict-Transport-Security header`, ctx.proxy.fixes.hstsMissing);
        }
        if (values.length > 1) {
          return fail(
            `GET ${path} has ${values.length} Strict-Transport-Security headers (${values.join(' | ')})`,
            ctx.proxy.fixes.hstsDoubled,
          );
        }
        const maxAge = Number(/(?:^|;)\s*max-age\s*=\s*"?(\d+)/i.exec(values[0]!)?.[1] ?? NaN);
        if (!(maxAge >= YEAR_S)) {
          return fail(
            `GET ${path}: Strict-Transport-Security: ${values[0]} is less than a year (max-age=${YEAR_S})`,
            ctx.proxy.fixes.hstsMissing,
          );
        }
      }
      return pass('on /health, /session and a missing page');
    },
  },
  {
    id: 'unknown-host',
    title: `a request naming another host (Host: ${UNKNOWN_HOST}) is not served by the app`,
    async run(ctx) {
      if (ctx.proxy.unknownHostNotChecked) return skip(ctx.proxy.unknownHostNotChecked);
      const answer = await attempt(ctx.target, { path: '/health', headers: { host: UNKNOWN_HOST } });
      if (answer instanceof Error) return pass(`refused: ${answer.code ?? answer.message}`);
      if (answer.status === 200 && typeof jsonOf(answer)?.status === 'string') {
        return fail(`the app answered GET /health for Host: ${UNKNOWN_HOST}`, ctx.proxy.fixes.unknownHost);
      }
      return pass(`answered ${answer.status} without the app`);
    },
  },
  {
    id: 'csrf-cookie',
    title: `GET /session sets the anonymous ${CSRF_COOKIE}: Secure, HttpOnly, SameSite=Strict, Path=/, no Domain`,
    async run(ctx) {
      const answer = await attempt(ctx.target, { path: '/session' });
      if (answer instanceof Error) return unreachable(ctx, answer, 'GET /session');
      if (isRedirect(answer)) return sessionRedirectCause(ctx, answer);
      const body = jsonOf(answer);
      if (answer.status !== 200 || typeof body?.csrfToken !== 'string') {
        return fail(`GET /session answered ${answer.status} ${answer.body.slice(0, 80)}`, ctx.proxy.fixes.upstream);
      }
      const cookie = answer.cookies.find((c) => c.name === CSRF_COOKIE);
      if (!cookie) {
        const names = answer.cookies.map((c) => c.name);
        return names.includes('csrf')
          ? fail(
              'the cookie is `csrf`, not `__Host-csrf`: the app runs in development',
              'leave NODE_ENV unset (or production)',
            )
          : fail(
              `no ${CSRF_COOKIE} cookie came back (Set-Cookie: ${names.join(', ') || 'none'})`,
              ctx.proxy.fixes.upstream,
            );
      }
      const problems = cookieProblems(cookie, 'strict');
      if (problems.length > 0) return fail(`${CSRF_COOKIE}: ${problems.join(', ')}`, ctx.proxy.fixes.upstream);
      return pass(cookie.raw.replace(/=[^;]*/, '=…'));
    },
  },
  {
    id: 'csrf-required',
    title: 'POST /login without the CSRF token is refused (403)',
    async run(ctx) {
      const session = await attempt(ctx.target, { path: '/session' });
      if (session instanceof Error) return unreachable(ctx, session, 'GET /session');
      const cookies = Object.fromEntries(session.cookies.map((c) => [c.name, c.value]));
      const answer = await attempt(ctx.target, { method: 'POST', path: '/login', cookies, json: {} });
      if (answer instanceof Error) return unreachable(ctx, answer, 'POST /login');
      if (answer.status === 403) return pass('403 without x-csrf-token');
      return fail(
        `POST /login without x-csrf-token answered ${answer.status}, not 403`,
        'the CSRF guard (src/csrf, mounted in src/app before the routes) must stay in front of every route',
      );
    },
  },
];
