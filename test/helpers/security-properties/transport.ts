// The security properties about plain HTTP: it never gets a cookie, every HTTPS answer has one HSTS header,
// and the redirect to HTTPS names the configured host whatever the request says. Rows #2 and #22 of the
// table gathered in ../security-properties.ts; their checks: ../security-checks/transport.ts.
import { pinnedRedirectHost, plainHttpAndHsts } from '../security-checks/transport.ts';
import { PROXY_SETUPS, type SecurityProperty } from './property.ts';

export const TRANSPORT_PROPERTIES: readonly SecurityProperty[] = [
  {
    n: 2,
    test: 'plain HTTP never gets a cookie; exactly one HSTS header of at least a year',
    property:
      'Plain HTTP is redirected to HTTPS and gets no Set-Cookie; every HTTPS response ' +
      'carries exactly one `Strict-Transport-Security` header, max-age ≥ 31536000.',
    setups: PROXY_SETUPS,
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
];
