// The security properties about what every response carries: helmet's headers and no-store, and production
// errors without a stack trace. Rows #12 and #13 of the table gathered in ../security-properties.ts; their
// checks: ../security-checks/responses.ts.
import { productionErrors, securityHeaders } from '../security-checks/responses.ts';
import { PROXY_SETUPS, type SecurityProperty } from './property.ts';

export const RESPONSE_PROPERTIES: readonly SecurityProperty[] = [
  {
    n: 12,
    test: "helmet's headers are present, X-Powered-By is absent, authenticated responses are no-store",
    property:
      "Every response has a CSP that starts from `default-src 'none'` and allows only `'self'` " +
      "(images also `data:`), with `frame-ancestors 'none'` and no `unsafe-inline` or `unsafe-eval`; " +
      '`X-Frame-Options: DENY` (which agrees with it), `X-Content-Type-Options: nosniff` and a ' +
      '`Referrer-Policy`, and no `X-Powered-By`; session responses are `Cache-Control: no-store`.',
    setups: PROXY_SETUPS,
    check: securityHeaders,
  },
  {
    n: 13,
    test: 'production errors carry no stack trace: malformed JSON is a 400 JSON, an unknown route a 404 JSON',
    property:
      'Production error responses carry no stack trace or file path: a malformed or ' +
      'oversized JSON body to /login is a 4xx JSON error, an unknown route a 404 JSON error.',
    setups: PROXY_SETUPS,
    check: productionErrors,
  },
];
