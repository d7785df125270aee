// --trust-proxy: who may set X-Forwarded-For/-Proto/-Host for the app, as Express's 'trust proxy'
// setting (proxy-addr) reads it. Checked at generation time with the same rules the generated
// src/config.js applies to TRUST_PROXY at start, plus the values that would trust every client.
import { isIP } from 'node:net';
import { quote, UsageError } from './errors.js';

/** Named ranges proxy-addr knows: 127.0.0.0/8 + ::1; 169.254.0.0/16 + fe80::/10; 10/8, 172.16/12, 192.168/16 + fc00::/7. */
const TRUST_PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'] as const;

const FIX = 'use a hop count such as 1, loopback, uniquelocal, or IPs/CIDRs such as 10.0.0.5,10.1.0.0/16';
/**
 * The largest hop count the CLI and the generated app (src/config.js gets this very number) accept.
 * A count larger than the real chain makes req.ip the client's own X-Forwarded-For entry, which is
 * what refusing `true` prevents; real chains (CDN, load balancer, proxy) are a few hops long.
 */
export const MAX_TRUST_PROXY_HOPS = 5;

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
      refuse(`at most ${MAX_TRUST_PROXY_HOPS} hops: more than the real chain lets a client choose req.ip with its own X-Forwarded-For`);
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
  if ((TRUST_PROXY_NAMES as readonly string[]).includes(entry)) return undefined;
  const [address = '', bits, extra] = entry.split('/');
  // Plain hex, digits, dots and colons only: no IPv6 zone ("%eth0"), which proxy-addr cannot match.
  const version = /^[0-9A-Fa-f:.]+$/.test(address) ? isIP(address) : 0;
  if (version === 0 || extra !== undefined) {
    return `${quote(entry)} is not an IP address, a CIDR range or one of ${TRUST_PROXY_NAMES.join(', ')}`;
  }
  if (bits === undefined) return undefined;
  const max = version === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return `${quote(entry)} needs a prefix length from 1 to ${max} after the /`;
  if (Number(bits) === 0) return `${quote(entry)} is every address, which trusts every client like true`;
  return undefined;
}
