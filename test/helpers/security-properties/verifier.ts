// The security property about the generated app's own verifier: `npm run verify` passes against the
// real deployment. Row #24 of the table gathered in ../security-properties.ts; its check:
// ../security-checks/verifier.ts.
import { ownVerifier } from '../security-checks/verifier.ts';
import { ALL_SETUPS, type SecurityProperty } from './property.ts';

export const VERIFIER_PROPERTIES: readonly SecurityProperty[] = [
  {
    n: 24,
    test: "the app's own npm run verify passes against the deployment: exit 0, every check ✓, also in --json",
    property:
      "The app's own `npm run verify -- https://<host>` (`scripts/verify.js`), run as a process against the " +
      'deployment through its front (`--connect-to 127.0.0.1`), with the test account in `VERIFY_USER` and ' +
      '`VERIFY_PASSWORD` and the test certificate trusted through `NODE_EXTRA_CA_CERTS`, passes: exit 0, one ' +
      '✓ line per check (HTTPS, the certificate, no TLS 1.0 or 1.1, the plain-HTTP redirect, one HSTS header, ' +
      'unknown host names refused, the cookies, the CSRF guard, login, a new session id, logout), and the same ' +
      'in `--json`. (`test/e2e/verify-broken.test.ts` breaks an nginx deployment on purpose, and `verify` names ' +
      'each cause.)',
    setups: ALL_SETUPS,
    notes: {
      'none+sqlite':
        'the unknown-`Host` check reports itself not checked (`–`, with the reason): the app answers every ' +
        'host name, and only a proxy can refuse the others; plain HTTP to its port gets no answer, which passes',
      'paas+sqlite': "the test nginx in the router's place refuses other host names on 443, as a router does",
      'custom+sqlite': 'the test nginx as the proxy refuses other host names on 443',
    },
    check: ownVerifier,
  },
];
