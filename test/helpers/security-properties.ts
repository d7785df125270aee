// The security properties of the generated app, as DATA: one row per property, the setups it is
// proven on (security-setups.ts), the name of the test that proves it, and its check (grouped by
// theme in security-checks/). The e2e security suites register exactly one
// test per (row, setup) from this table (test/helpers/security-suite.ts), and test/e2e/security.test.ts
// checks that README.md's "Security properties" block is `readmeBlock()` word for word, so the
// README, this table and the tests can never drift apart.
import { pathToFileURL } from 'node:url';
import type { TimedApp } from './security-deployment.ts';
import { passwordChange, passwordHashes, sharedThrottle } from './security-checks/accounts.ts';
import { anonymousGets, anonymousVisitors } from './security-checks/anonymous.ts';
import {
  forgedIds,
  logoutDestroys,
  newIdAtLogin,
  productionCookie,
  secretRotation,
} from './security-checks/cookies.ts';
import { csrfTokens, unsafeMethods } from './security-checks/csrf.ts';
import { absoluteTimeout, fixedLifetime, idleTimeout } from './security-checks/lifetime.ts';
import { forwardedOnlyFromProxy, loginThrottle, proxyHeaders } from './security-checks/proxies.ts';
import { productionErrors, securityHeaders } from './security-checks/responses.ts';
import type { Check } from './security-checks/steps.ts';
import { testsslOf, tlsConfiguration } from './security-checks/tls.ts';
import { pinnedRedirectHost, plainHttpAndHsts } from './security-checks/transport.ts';
import { propertyTestName, renderReadmeBlock } from './security-readme.ts';
import { SECURITY_SETUPS, type SetupId } from './security-setups.ts';

export interface SecurityProperty {
  n: number;
  /** The test's name, under each setup's describe: `#<n> <test>`. */
  test: string;
  /** What holds, for the README. */
  property: string;
  setups: readonly SetupId[];
  /** How the test differs on some setups, for the README. */
  notes?: Partial<Record<SetupId, string>>;
  /** The test's body: it throws when the property does not hold on the deployment. */
  check: Check;
  /** The app it runs on besides the main one: a timed app (those rows run side by side, as they mostly wait). */
  app?: TimedApp;
  /** Programs it needs besides the setup's own (skipped without them outside CI). */
  tools?: readonly string[];
  /**
   * A long part of the check, started as soon as the setup is deployed (when its tools are there), and awaited by the
   * check.
   */
  startEarly?: Check;
  /** The test's timeout; 90 s unless given. */
  timeoutMs?: number;
}

const PROXIES: readonly SetupId[] = ['nginx+sqlite', 'caddy+sqlite', 'none+sqlite', 'paas+sqlite', 'custom+sqlite'];
const STORES: readonly SetupId[] = ['nginx+redis', 'nginx+postgres', 'nginx+mysql'];
const ALL: readonly SetupId[] = [...PROXIES, ...STORES];
/** The setups whose app trusts every loopback address as a proxy (the generated TRUST_PROXY=loopback). */
const LOOPBACK_NOTE =
  "with TRUST_PROXY=127.0.0.1, the proxy's own address: the generated " +
  '`loopback` would also trust the test clients, which are on loopback too';

export const SECURITY_PROPERTIES: readonly SecurityProperty[] = [
  {
    n: 1,
    test: 'production cookie: __Host-sid, Path=/, no Domain, HttpOnly, Secure, SameSite=Lax',
    property:
      'The production session cookie is `__Host-sid; Path=/; HttpOnly; Secure; SameSite=Lax` with no ' +
      'Domain, from login on (an anonymous `GET /session` sets none) and on every logged-in response.',
    setups: ALL,
    check: productionCookie,
  },
  {
    n: 2,
    test: 'plain HTTP never gets a cookie; exactly one HSTS header of at least a year',
    property:
      'Plain HTTP is redirected to HTTPS and gets no Set-Cookie; every HTTPS response ' +
      'carries exactly one `Strict-Transport-Security` header, max-age ≥ 31536000.',
    setups: PROXIES,
    notes: {
      'none+sqlite':
        "the app's port speaks only TLS: a plain-HTTP request is refused (no redirect, no cookie); the app sends HSTS",
      'paas+sqlite':
        'plain HTTP arrives from the router with `X-Forwarded-Proto: http` and gets no ' +
        'Set-Cookie; the app redirects GETs itself (to its own host: #22) and sends HSTS',
      'custom+sqlite':
        'plain HTTP arrives from the proxy with `X-Forwarded-Proto: http` and gets no ' +
        'Set-Cookie; the app redirects GETs itself (to its own host: #22) and sends HSTS',
    },
    check: plainHttpAndHsts,
  },
  {
    n: 3,
    test: 'login issues a new session id; the pre-login id is dead',
    property:
      'Login issues a new session id: an id held before it (the ' +
      "browser's earlier session, or one an attacker planted, signed " +
      "with the app's secret) is deleted from the store or never " +
      'stored, and replaying it is anonymous (no session fixation).',
    setups: ALL,
    check: newIdAtLogin,
  },
  {
    n: 4,
    test: 'logout destroys the session server-side; the clearing cookie keeps Secure and Path=/',
    property:
      'Logout deletes the session from the store; replaying the old cookie is ' +
      'anonymous; the clearing Set-Cookie keeps `Secure; Path=/` and no Domain.',
    setups: ALL,
    check: logoutDestroys,
  },
  {
    n: 5,
    test: 'idle timeout is enforced by the server (--max-age 3s, 4 s idle, the cookie replayed)',
    property:
      'The idle timeout is enforced by the server: after `--max-age` ' +
      'idle, replaying the cookie the client still has is anonymous.',
    setups: ALL,
    check: idleTimeout,
    app: 'short',
  },
  {
    n: 6,
    test: 'absolute timeout holds under constant activity (--absolute-timeout 6s, a request every second)',
    property:
      'The absolute timeout holds under constant activity: with a request every ' +
      'second, the session is logged in until `--absolute-timeout`, then not.',
    setups: ALL,
    check: absoluteTimeout,
    app: 'short',
  },
  {
    n: 7,
    test: 'secret rotation: SESSION_SECRET=new,old keeps old cookies and signs with new; dropping old ends them',
    property:
      'Secret rotation: with `SESSION_SECRET=new,old` cookies signed with `old` still work and every cookie ' +
      'sent is signed with `new` (HMAC-SHA256 checked); without `old` the old-signed cookies are anonymous. ' +
      'The anonymous CSRF token (an HMAC of its cookie) likewise: signed with `old` it still logs in under ' +
      '`new,old`, where `GET /session` hands out the one signed with `new`; without `old` it gets 403.',
    setups: ALL,
    check: secretRotation,
  },
  {
    n: 8,
    test: 'a tampered, unsigned or unknown session id is anonymous: never adopted, nothing stored, never a 500',
    property:
      'A tampered, unsigned, malformed or unknown session id is anonymous: no session is ' +
      "started for it, the attacker's id is never stored or adopted, and nothing answers 500.",
    setups: ALL,
    check: forgedIds,
  },
  {
    n: 9,
    test: 'X-Forwarded-* from anyone but the proxy is ignored; through the proxy the real client address counts',
    property:
      'X-Forwarded-Proto/-For from anyone but the trusted proxy are ignored (a direct request ' +
      'from 127.0.0.2 claiming `https` and `6.6.6.6` gets no Secure cookie and `req.ip` ' +
      'is 127.0.0.2, seen through the login throttle); through the proxy, `req.ip` is ' +
      "each client's own address (127.0.0.3 and 127.0.0.4 are throttled independently).",
    setups: PROXIES,
    notes: {
      'nginx+sqlite': LOOPBACK_NOTE,
      'caddy+sqlite': LOOPBACK_NOTE,
      'none+sqlite': 'no proxy, TRUST_PROXY=false: the direct part only, over TLS (`req.ip` is the peer)',
      'paas+sqlite':
        'TRUST_PROXY=1 believes whoever connects, by design (only the ' +
        'router can reach the app): the through-the-router part only',
    },
    check: forwardedOnlyFromProxy,
  },
  {
    n: 10,
    test: 'CSRF: state-changing routes without a valid token get 403; the token changes at login',
    property:
      "POST /login and POST /logout without the visitor's own CSRF token (none, a wrong " +
      "one, another visitor's, one without its cookie or signed with another secret, " +
      'and once logged in the pre-login one, even with its cookie) get 403 and change ' +
      "nothing; login issues a new token and clears the anonymous one's cookie.",
    setups: PROXIES,
    check: csrfTokens,
  },
  {
    n: 11,
    test: 'login is rate-limited per real client address (IPv6: per /64); a forged X-Forwarded-For does not dodge it',
    property:
      'Failed logins are limited per real client address (429 with Retry-After after 10, ' +
      'even with the right password), and a new forged `X-Forwarded-For` on every try ' +
      'does not escape it; another client is not affected. IPv6 clients are counted per ' +
      '/64, so a new address of the same /64 on every try does not escape it either.',
    setups: PROXIES,
    notes: {
      'nginx+sqlite': LOOPBACK_NOTE,
      'caddy+sqlite': LOOPBACK_NOTE,
      'none+sqlite':
        'without the IPv6 part: only a proxy reports other addresses than the peer, and the test clients are IPv4',
    },
    check: loginThrottle,
  },
  {
    n: 12,
    test: "helmet's headers are present, X-Powered-By is absent, authenticated responses are no-store",
    property:
      "Every response has a CSP that starts from `default-src 'none'` and allows only `'self'` " +
      "(images also `data:`), with `frame-ancestors 'none'` and no `unsafe-inline` or `unsafe-eval`; " +
      '`X-Frame-Options: DENY` (which agrees with it), `X-Content-Type-Options: nosniff` and a ' +
      '`Referrer-Policy`, and no `X-Powered-By`; session responses are `Cache-Control: no-store`.',
    setups: PROXIES,
    check: securityHeaders,
  },
  {
    n: 13,
    test: 'production errors carry no stack trace: malformed JSON is a 400 JSON, an unknown route a 404 JSON',
    property:
      'Production error responses carry no stack trace or file path: a malformed or ' +
      'oversized JSON body to /login is a 4xx JSON error, an unknown route a 404 JSON error.',
    setups: PROXIES,
    check: productionErrors,
  },
  {
    n: 14,
    test: 'testssl.sh: only TLS 1.2 and 1.3 offered, no HIGH or CRITICAL finding; no DHE suite, none listed dead',
    property:
      'testssl.sh against the TLS that the generated files set up finds only TLS 1.2 and 1.3 offered, no weak ' +
      'cipher category (NULL, export, LOW, 3DES) and no HIGH or CRITICAL finding. A TLS 1.2 handshake offering ' +
      'only DHE suites fails (`openssl s_client`), and every TLS 1.2 cipher the generated file lists is agreed ' +
      'when offered alone (the RSA ones: the test certificate is RSA), so none is listed that cannot be used.',
    setups: ['nginx+sqlite', 'caddy+sqlite', 'none+sqlite'],
    notes: {
      'nginx+sqlite': 'deploy/nginx.conf',
      'caddy+sqlite': "deploy/Caddyfile, which leaves TLS to Caddy's defaults (it lists no cipher)",
      'none+sqlite': "the app's own HTTPS server (src/http-server.js)",
    },
    check: tlsConfiguration,
    tools: ['testssl'],
    startEarly: async (d) => void (await testsslOf(d)),
    timeoutMs: 5 * 60_000,
  },
  {
    n: 15,
    test: 'anonymous GETs of pages, assets and unknown paths create no session: no Set-Cookie, no new row in the store',
    property:
      'Anonymous GETs of `/`, `/health`, `/assets/app.js` and an unknown path set no cookie ' +
      'at all and add no session to the store (read directly); a login does add one.',
    setups: ALL,
    check: anonymousGets,
  },
  {
    n: 16,
    test:
      'every unsafe route needs the token: POST, PUT, PATCH, DELETE without ' +
      'it get 403, even where no route exists; with it they reach routing',
    property:
      'POST, PUT, PATCH and DELETE without a valid CSRF token (none, ' +
      'a made-up one, one without its cookie; logged in: none, ' +
      "another visitor's, the pre-login one with its cookie) get " +
      "a JSON 403 on every path: the app's routes and paths " +
      'with no route for the method or none at all (`/no-such-route`, `/`, `/health`, `/assets/app.js`), and change ' +
      "nothing. With the anonymous or the session's token the " +
      "same requests reach routing: the route's answer, or a 404.",
    setups: ALL,
    check: unsafeMethods,
  },
  {
    n: 17,
    test:
      'anonymous visitors store nothing: 1000 page loads with GET /session ' +
      'add no row and no session cookie; the pre-login token dies at login',
    property:
      '1000 anonymous page loads (`/`, its assets, `GET /session` twice, each a new visitor) get no session ' +
      "cookie and add no row to the store (read directly); `GET /session` sets only the anonymous token's " +
      'cookie, `__Host-csrf; Path=/; HttpOnly; Secure; SameSite=Strict`, once. Login with that token ' +
      'works and clears the cookie; after it the pre-login token gets 403, even with its cookie put back.',
    setups: ALL,
    check: anonymousVisitors,
  },
  {
    n: 18,
    test:
      'the login throttle is shared by two instances behind ' +
      'nginx; 30 parallel guesses give at most 10 answers of 401',
    property:
      'Two instances of the app on the same store behind one nginx count failed logins as one: wrong ' +
      'guesses from one address spread over both get ten 401s, then 429 with Retry-After from each ' +
      'instance, even with the right password; 30 parallel wrong guesses from another address get at ' +
      'most ten 401s and 429 for the rest (each attempt is counted before the password is checked).',
    setups: ['nginx+sqlite', ...STORES],
    check: sharedThrottle,
  },
  {
    n: 19,
    test: 'only password hashes are stored: no plaintext in the store, scrypt at N=2^17, r=8, p=1 or more',
    property:
      'The store (read directly: the users and the sessions) holds ' +
      'no plaintext password, before or after a login; the account, ' +
      "made with `user:add`, holds one `$scrypt$ln=…,r=…,p=…$salt$hash` string with at least OWASP's N=2^17, r=8, p=1.",
    setups: ALL,
    check: passwordHashes,
  },
  {
    n: 20,
    test: "a password change ends the user's other sessions: two sessions, user:passwd, both anonymous",
    property:
      "Two logged-in sessions of one user are both anonymous at their next request after `user:passwd` (the app's " +
      'own script, on its store) changes the password; the old password no longer logs in, the new one does.',
    setups: ALL,
    check: passwordChange,
  },
  {
    n: 21,
    test:
      'fixed lifetime is enforced by the server (--no-rolling ' +
      '--max-age 4s, a request every second, the cookie replayed)',
    property:
      'With `--no-rolling` the session ends `--max-age` after login whatever the activity: ' +
      'with a request every second it is logged in until then and anonymous after, ' +
      "the store's expiry never moves past that end (read directly), and the login " +
      'cookie replayed afterwards is anonymous while its record is gone or expired.',
    setups: ['nginx+sqlite', 'nginx+redis', 'nginx+postgres', 'nginx+mysql'],
    check: fixedLifetime,
    app: 'fixed',
  },
  {
    n: 22,
    test: "the HTTPS redirect's host is pinned: a forged Host or X-Forwarded-Host never chooses it",
    property:
      'A plain-HTTP page request is redirected to `https://` plus the host the app was generated ' +
      "for (`--domain`; the app's `PUBLIC_HOST` overrides it) and the request's path, whatever " +
      'its `Host` or `X-Forwarded-Host` says: with `X-Forwarded-Host: evil.example`, `Host: ' +
      'evil.example` or both, the `Location` names the configured host, and no Set-Cookie is sent.',
    setups: ['nginx+sqlite', 'caddy+sqlite', 'paas+sqlite', 'custom+sqlite'],
    notes: {
      'nginx+sqlite':
        "nginx's port 80 redirects by itself, and a forged `Host` gets " +
        "no answer there (444); the app's own redirect is checked by " +
        'requests straight to its port from loopback, which its ' +
        '`TRUST_PROXY=loopback` believes, with `X-Forwarded-Proto: http`',
      'caddy+sqlite':
        "Caddy's port 80 redirects by itself and ignores `X-Forwarded-Host`; a forged `Host` is not sent " +
        "there, because Caddy's automatic redirect for a host it does not serve names that host (only the " +
        "client that forged it goes there); the app's own redirect is checked by requests straight to its " +
        'port from loopback, which its `TRUST_PROXY=loopback` believes, with `X-Forwarded-Proto: http`',
    },
    check: pinnedRedirectHost,
  },
  {
    n: 23,
    test:
      'no client Forwarded/X-Real-IP reaches the app: through the ' +
      'generated proxy config it gets only what the proxy set',
    property:
      'The app receives no proxy header a client wrote: through the generated `deploy/nginx.conf` ' +
      'or `deploy/Caddyfile`, a request forging `Forwarded`, `X-Real-IP`, `X-Forwarded-For`, ' +
      '`-Proto`, `-Host`, `-Port`, `-Prefix` and the like, `X-Client-IP`, `True-Client-IP` ' +
      'and others of the kind arrives with `X-Forwarded-For` (and `X-Real-IP`, if any) ' +
      "the client's address, `X-Forwarded-Proto: https`, `X-Forwarded-Host` the site's name " +
      'or none, and none of the others; an ordinary header passes. Seen by a server that ' +
      "answers with what it received, on the generated upstream in the app's place. (paas and " +
      'custom: the router or proxy is not generated; their README says what it must drop.)',
    setups: ['nginx+sqlite', 'caddy+sqlite'],
    check: proxyHeaders,
  },
];

export { propertyTestName };

/** The properties proven on one setup, in order. */
export function propertiesFor(setup: SetupId): SecurityProperty[] {
  return SECURITY_PROPERTIES.filter((p) => p.setups.includes(setup));
}

/** What README.md holds between README_START and README_END (security-readme.ts), exactly. */
export function readmeBlock(): string {
  return renderReadmeBlock(SECURITY_PROPERTIES, SECURITY_SETUPS);
}

// `node --import tsx test/helpers/security-properties.ts` prints the README block, to paste.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) console.log(readmeBlock());
