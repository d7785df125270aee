// The security property about the generated app's own verifier: `npm run verify` passes against the
// real deployment. Row #24 of the table gathered in ../security-properties.ts; its check:
// ../security-checks/verifier.ts.
import { ownVerifier } from '../security-checks/verifier.ts';
import { type SecurityProperty } from './property.ts';

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
    setups: ['nginx+sqlite'],
    check: ownVerifier,
  },
];
