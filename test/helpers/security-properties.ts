// The security properties of the generated app, as DATA: one row per property, the setups it is
// proven on (security-setups.ts), the name of the test that proves it, and its check (grouped by
// theme in security-checks/). The rows are held by the same themes in security-properties/ and
// gathered here in the order of their numbers. The e2e security suites register exactly one
// test per (row, setup) from this table (test/helpers/security-suite.ts), and test/e2e/security.test.ts
// checks that README.md's "Security properties" block is `readmeBlock()` word for word, so the
// README, this table and the tests can never drift apart.
import { pathToFileURL } from 'node:url';
import { ACCOUNT_PROPERTIES } from './security-properties/accounts.ts';
import { ANONYMOUS_PROPERTIES } from './security-properties/anonymous.ts';
import { COOKIE_PROPERTIES } from './security-properties/cookies.ts';
import { CSRF_PROPERTIES } from './security-properties/csrf.ts';
import { LIFETIME_PROPERTIES } from './security-properties/lifetime.ts';
import type { SecurityProperty } from './security-properties/property.ts';
import { PROXY_PROPERTIES } from './security-properties/proxies.ts';
import { RESPONSE_PROPERTIES } from './security-properties/responses.ts';
import { TLS_PROPERTIES } from './security-properties/tls.ts';
import { TRANSPORT_PROPERTIES } from './security-properties/transport.ts';
import { VERIFIER_PROPERTIES } from './security-properties/verifier.ts';
import { propertyTestName, renderReadmeBlock } from './security-readme.ts';
import { runsRow, SECURITY_SETUPS, securitySetup, type SetupId } from './security-setups.ts';

export type { SecurityProperty };

/** The rows by number, which must run from #1 without a gap or a repeat. */
function inNumberOrder(rows: readonly SecurityProperty[]): SecurityProperty[] {
  const sorted = [...rows].sort((a, b) => a.n - b.n);
  sorted.forEach((p, i) => {
    if (p.n !== i + 1) throw new Error(`security properties: #${i + 1} is missing or repeated (found #${p.n})`);
  });
  return sorted;
}

export const SECURITY_PROPERTIES: readonly SecurityProperty[] = inNumberOrder([
  ...ACCOUNT_PROPERTIES,
  ...ANONYMOUS_PROPERTIES,
  ...COOKIE_PROPERTIES,
  ...CSRF_PROPERTIES,
  ...LIFETIME_PROPERTIES,
  ...PROXY_PROPERTIES,
  ...RESPONSE_PROPERTIES,
  ...TLS_PROPERTIES,
  ...TRANSPORT_PROPERTIES,
  ...VERIFIER_PROPERTIES,
]);

export { propertyTestName };

/** The properties proven on one setup, in order (a TypeScript setup's follow from its JavaScript twins'). */
export function propertiesFor(id: SetupId): SecurityProperty[] {
  const setup = securitySetup(id);
  return SECURITY_PROPERTIES.filter((p) => runsRow(p.setups, setup));
}

/** What README.md holds between README_START and README_END (security-readme.ts), exactly. */
export function readmeBlock(): string {
  return renderReadmeBlock(SECURITY_PROPERTIES, SECURITY_SETUPS);
}

// `node --import tsx test/helpers/security-properties.ts` prints the README block, to paste.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) console.log(readmeBlock());
