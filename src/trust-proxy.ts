// --trust-proxy: who may set X-Forwarded-For/-Proto/-Host for the app, as Express's 'trust proxy'
// setting (proxy-addr) reads it. The rules for one entry and the hop limit are the generated app's own
// src/trust-proxy.js (templates/base/), which checks TRUST_PROXY at start; the CLI adds the values
// that would trust every client or no proxy at all.
import { quote, UsageError } from './errors.js';
import { MAX_TRUST_PROXY_HOPS, TRUST_PROXY_NAMES, trustProxyEntryProblem } from '../templates/base/src/trust-proxy.ts';

export { MAX_TRUST_PROXY_HOPS };

const FIX = 'use a hop count such as 1, loopback, uniquelocal, or IPs/CIDRs such as 10.0.0.5,10.1.0.0/16';

/**
 * The value the app gets as its default TRUST_PROXY: a hop count ("1"), or a comma-separated list of
 * names, IPs and CIDRs without spaces ("loopback,10.0.0.0/8"). Anything else is a UsageError.
 */
export function parseTrustProxy(input: string): string {
  const text = input.trim();
  const refuse = (why: string): never => {
    throw new UsageError(`Invalid --trust-proxy ${quote(input)}: ${why}; ${FIX}.`);
  };
  if (text === '') refuse('it is empty');
  if (text === 'true') refuse('true trusts every client, so anyone could claim HTTPS or any address');
  if (text === 'false' || /^0+$/.test(text)) refuse('it trusts no proxy (for that, use --proxy none)');
  if (/^\d+$/.test(text)) {
    if (Number(text) > MAX_TRUST_PROXY_HOPS) {
      refuse(
        `at most ${MAX_TRUST_PROXY_HOPS} hops: more than the real chain ` +
          `lets a client choose req.ip with its own X-Forwarded-For`,
      );
    }
    return String(Number(text));
  }
  const entries = text.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const problem = entryProblem(entry);
    if (problem) refuse(problem);
  }
  return entries.join(',');
}

/** Why one list entry cannot be trusted, or undefined. */
function entryProblem(entry: string): string | undefined {
  if (entry === '') return 'the list has an empty entry';
  const problem = trustProxyEntryProblem(entry);
  return problem === undefined ? undefined : `${quote(entry)} ${problem}`;
}
