// Slows password guessing: after too many failed logins from one address, answer 429 for a while.
// In memory and per process: enough for one instance; use your store or proxy for several.
const MAX_FAILURES = 10;
const WINDOW_MS = 15 * 60 * 1000;

export function createLoginThrottle({ maxFailures = MAX_FAILURES, windowMs = WINDOW_MS } = {}) {
  const failures = new Map(); // ip -> { count, resetAt }

  const entryFor = (ip) => {
    const entry = failures.get(ip);
    if (entry && entry.resetAt <= Date.now()) failures.delete(ip);
    return failures.get(ip);
  };

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
      failures.set(ip, entry);
    },
    succeeded(ip) {
      failures.delete(ip);
    },
  };
}
