// The security properties about the TLS the generated files set up: testssl.sh, no DHE suite, and every
// listed cipher usable. Row #14 of the table gathered in ../security-properties.ts; its check:
// ../security-checks/tls.ts.
import { testsslOf, tlsConfiguration } from '../security-checks/tls.ts';
import { type SecurityProperty } from './property.ts';

export const TLS_PROPERTIES: readonly SecurityProperty[] = [
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
];
