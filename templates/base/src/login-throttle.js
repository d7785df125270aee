// Slows password guessing: after too many failed logins from one address, answer 429 for a while.
// In memory and per process: enough for one instance; use your store or proxy for several.
import { isIPv6 } from 'node:net';

const MAX_FAILURES = 10;
const WINDOW_MS = 15 * 60 * 1000;

// Who is counted: an IPv4 address, or an IPv6 /64. An IPv6 user gets a whole /64 (2^64 addresses)
// from the provider, so counting single IPv6 addresses would let a new address per guess dodge the
// limit. An IPv4 address written as IPv6 (::ffff:1.2.3.4, on a server listening on ::) is IPv4.
export function clientKey(ip) {
  if (typeof ip !== 'string' || ip === '') return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1];
  const address = ip.split('%')[0]; // an interface suffix (fe80::1%eth0) is not part of the address
  if (!isIPv6(address)) return ip;
  const groups = (text) => (text === '' ? [] : text.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])));
  const [head, tail] = address.split('::');
  const full = tail === undefined ? groups(head) : [...groups(head), ...Array(8 - groups(head).length - groups(tail).length).fill('0'), ...groups(tail)];
  return `${full.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}

export function createLoginThrottle({ maxFailures = MAX_FAILURES, windowMs = WINDOW_MS } = {}) {
  const failures = new Map(); // clientKey(ip) -> { count, resetAt }

  const entryFor = (ip) => {
    const key = clientKey(ip);
    const entry = failures.get(key);
    if (entry && entry.resetAt <= Date.now()) failures.delete(key);
    return failures.get(key);
  };

  // Forget finished windows now and then: an address that never comes back would stay forever.
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [key, entry] of failures) if (entry.resetAt <= now) failures.delete(key);
  }, windowMs);
  sweep.unref(); // never keep the process alive just for this

  return {
    // middleware: refuse early while an address is blocked
    check(req, res, next) {
      const entry = entryFor(req.ip);
      if (entry && entry.count >= maxFailures) {
        res.set('Retry-After', String(Math.ceil((entry.resetAt - Date.now()) / 1000)));
        return res.status(429).json({ error: 'too many failed logins, try again later' });
      }
      next();
    },
    failed(ip) {
      const entry = entryFor(ip) ?? { count: 0, resetAt: Date.now() + windowMs };
      entry.count += 1;
      failures.set(clientKey(ip), entry);
    },
  };
}
