// Synchronizer token: a random value kept in the session and echoed by the page in the
// x-csrf-token header. Another site can make the browser send our cookie, but cannot read the token.
import { randomBytes, timingSafeEqual } from 'node:crypto';

export function issueCsrfToken(session) {
  session.csrfToken = randomBytes(32).toString('base64url');
  return session.csrfToken;
}

export function csrfTokenFor(session) {
  return session.csrfToken ?? issueCsrfToken(session);
}

export function hasValidCsrfToken(req) {
  const expected = req.session?.csrfToken;
  const given = req.get('x-csrf-token');
  if (typeof expected !== 'string' || typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  // constant-time compare, so response timing does not reveal how much of a guess was right
  return a.length === b.length && timingSafeEqual(a, b);
}

export function requireCsrfToken(req, res, next) {
  if (!hasValidCsrfToken(req)) {
    return res.status(403).json({ error: 'missing or invalid CSRF token' });
  }
  next();
}
