// The TRUST_PROXY rules: which proxies may set X-Forwarded-For/-Proto/-Host, as Express's
// 'trust proxy' setting (proxy-addr) reads them. create-secure-session-app checks --trust-proxy
// with this very file, so the generator and the app accept the same proxies.
import { isIP } from 'node:net';

// Named ranges that Express's 'trust proxy' understands (see proxy-addr).
export const TRUST_PROXY_NAMES: readonly string[] = Object.freeze(['loopback', 'linklocal', 'uniquelocal']);

// More hops than the real chain make req.ip the client's own X-Forwarded-For entry; real chains
// (CDN, load balancer, proxy) are a few proxies long.
export const MAX_TRUST_PROXY_HOPS = 5;

// Why one entry of a TRUST_PROXY list (a name, an IP or a CIDR range) cannot be trusted, said of
// the entry ("is not an IP address, ..."), or undefined when it can.
export function trustProxyEntryProblem(entry: string): string | undefined {
  if (TRUST_PROXY_NAMES.includes(entry)) return undefined;
  const [address = '', bits, extra] = entry.split('/');
  // Plain hex, digits, dots and colons only: no IPv6 zone ("%eth0"), which proxy-addr cannot match.
  const version = /^[0-9A-Fa-f:.]+$/.test(address) ? isIP(address) : 0;
  if (version === 0 || extra !== undefined) {
    return `is not an IP address, a CIDR range or one of ${TRUST_PROXY_NAMES.join(', ')}`;
  }
  if (bits === undefined) return undefined;
  const max = version === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return `needs a prefix length from 1 to ${max} after the /`;
  // A /0 range is every address: it would trust every client, like 'true'.
  if (Number(bits) === 0) return 'is every address, which trusts every client like true';
  return undefined;
}
