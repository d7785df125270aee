import { createHash, timingSafeEqual } from 'node:crypto';

// ============================================================================================
//  REPLACE THIS before going live.
//  The demo accepts one user from DEMO_USER / DEMO_PASSWORD. Look the user up in your own
//  database and check a password hash made with scrypt, argon2 or bcrypt instead.
//  Return (or resolve to) { name } for a valid login, null otherwise; throw if the lookup itself
//  failed (the login then answers 503, never a login). Never log the password.
// ============================================================================================
export async function verifyCredentials(username, password, config) {
  if (config.demoPassword === null) return null; // no password configured: nobody gets in
  if (typeof username !== 'string' || typeof password !== 'string') return null;
  const userMatches = sameText(username, config.demoUser);
  const passwordMatches = sameText(password, config.demoPassword);
  return userMatches && passwordMatches ? { name: config.demoUser } : null;
}

// Hashing both sides gives equal lengths, so timingSafeEqual can compare in constant time
// without revealing the length of the real value.
function sameText(given, expected) {
  const digest = (text) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
