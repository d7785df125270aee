// The security properties about what the app believes of its proxy: X-Forwarded-* only from the proxy, the
// login throttle per real client, and no proxy header a client wrote reaching the app. Rows #9, #11 and #23
// of the table gathered in ../security-properties.ts; their checks: ../security-checks/proxies.ts.
import { forwardedOnlyFromProxy, loginThrottle, proxyHeaders } from '../security-checks/proxies.ts';
import { PROXY_SETUPS, type SecurityProperty } from './property.ts';

/** The setups whose app trusts every loopback address as a proxy (the generated TRUST_PROXY=loopback). */
const LOOPBACK_NOTE =
  "with TRUST_PROXY=127.0.0.1, the proxy's own address: the generated " +
  '`loopback` would also trust the test clients, which are on loopback too';

export const PROXY_PROPERTIES: readonly SecurityProperty[] = [
  {
    n: 9,
    test: 'X-Forwarded-* from anyone but the proxy is ignored; through the proxy the real client address counts',
    property:
      'X-Forwarded-Proto/-For from anyone but the trusted proxy are ignored (a direct request ' +
      'from 127.0.0.2 claiming `https` and `6.6.6.6` gets no Secure cookie and `req.ip` ' +
      'is 127.0.0.2, seen through the login throttle); through the proxy, `req.ip` is ' +
      "each client's own address (127.0.0.3 and 127.0.0.4 are throttled independently).",
    setups: PROXY_SETUPS,
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
    n: 11,
    test: 'login is rate-limited per real client address (IPv6: per /64); a forged X-Forwarded-For does not dodge it',
    property:
      'Failed logins are limited per real client address (429 with Retry-After after 10, ' +
      'even with the right password), and a new forged `X-Forwarded-For` on every try ' +
      'does not escape it; another client is not affected. IPv6 clients are counted per ' +
      '/64, so a new address of the same /64 on every try does not escape it either.',
    setups: PROXY_SETUPS,
    notes: {
      'nginx+sqlite': LOOPBACK_NOTE,
      'caddy+sqlite': LOOPBACK_NOTE,
      'none+sqlite':
        'without the IPv6 part: only a proxy reports other addresses than the peer, and the test clients are IPv4',
    },
    check: loginThrottle,
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
