// CSRF protection for every unsafe request, on every path, before routing: a route you add later is
// protected without a line of its own. The page sends the token in the x-csrf-token header; another
// site can make the browser send our cookies, but can neither read the token nor set that header.
//
// Two tokens, one at a time:
// - logged in: a synchronizer token, a random value kept in the session, issued at login;
// - anonymous: a signed double-submit token, so a visitor who never logs in stores nothing. A random
//   value lives in its own HttpOnly cookie and the token is its HMAC with SESSION_SECRET: only this
//   app can make the token for a cookie, so a planted cookie is worthless without it. Login still
//   needs it (no login CSRF); at login the session's token takes over and this cookie is cleared.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CookieOptions, NextFunction, Request, Response } from 'express';
import { cookieOptions } from './session.ts';

/** What this module reads of the configuration (config.ts). */
export interface CsrfConfig {
  production: boolean;
  sessionSecrets: readonly string[];
}

// Unsafe requests that skip the check, matched on method and exact path. Each entry must prove who
// sent it some other way (a webhook verifies its sender's signature) and must never act on the
// visitor's session: the browser still sends the cookie. Keep the reason beside each one.
export const CSRF_EXEMPT: readonly { method: string; path: string }[] = Object.freeze([
  // { method: 'POST', path: '/webhooks/payments' }, // the provider signs every call: the route checks that signature
]);

// Reads must not change anything, so they need no token. Every other method does, known or not.
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const HEADER = 'x-csrf-token';
const RANDOM = /^[A-Za-z0-9_-]{43}$/; // 32 random bytes, base64url: anything else in the cookie is replaced

// The anonymous token's cookie, named and scoped like the session cookie (__Host- in production, so a
// subdomain cannot plant it), but SameSite=Strict: only our own page's requests ever need it.
export function csrfCookieName(config: CsrfConfig): string {
  return config.production ? '__Host-csrf' : 'csrf';
}

export function csrfCookieOptions(config: CsrfConfig): CookieOptions {
  return { ...cookieOptions(config), sameSite: 'strict' }; // no maxAge: it ends with the browser session
}

export function csrfProtection(config: CsrfConfig) {
  const cookieName = csrfCookieName(config);
  const options = csrfCookieOptions(config);
  // "csrf-anonymous:" keeps these HMACs apart from the session cookie's signatures (same secrets).
  const sign = (value: string, secret: string) =>
    createHmac('sha256', secret).update(`csrf-anonymous:${value}`).digest('base64url');

  function anonymousValue(req: Request): string | undefined {
    const value = readCookie(req, cookieName);
    return value !== undefined && RANDOM.test(value) ? value : undefined;
  }

  function isValid(req: Request): boolean {
    const given = req.get(HEADER);
    if (typeof given !== 'string' || given === '') return false;
    // A session holds its own token: from login on only that one counts, not the anonymous one.
    const bound = req.session?.csrfToken;
    if (typeof bound === 'string') return sameToken(bound, given);
    const value = anonymousValue(req);
    // Every secret verifies (SESSION_SECRET=new,old): a token issued before a rotation still works.
    return value !== undefined && config.sessionSecrets.some((secret) => sameToken(sign(value, secret), given));
  }

  return {
    // The guard: mounted once, before the routes (src/app.ts).
    guard(req: Request, res: Response, next: NextFunction) {
      if (SAFE_METHODS.has(req.method) || isExempt(req)) return next();
      if (!isValid(req)) return res.status(403).json({ error: 'missing or invalid CSRF token' });
      next();
    },

    // The token for the page (GET /session): the session's, or else the anonymous one, whose cookie is
    // set only when the visitor has none yet (so several tabs share one token). Nothing is stored.
    tokenFor(req: Request, res: Response): string {
      const bound = req.session?.csrfToken;
      if (typeof bound === 'string') return bound;
      let value = anonymousValue(req);
      if (value === undefined) {
        value = randomBytes(32).toString('base64url');
        res.cookie(cookieName, value, options);
      }
      return sign(value, config.sessionSecrets[0]!); // the first secret signs, as for the session cookie
    },

    // At login: a new token in the new session; the anonymous one ends with its cookie.
    issueForSession(req: Request, res: Response): string {
      req.session.csrfToken = randomBytes(32).toString('base64url');
      // Clearing must repeat Path and Secure, or browsers ignore it for a __Host- cookie.
      if (readCookie(req, cookieName) !== undefined) res.clearCookie(cookieName, options);
      return req.session.csrfToken;
    },
  };
}

function isExempt(req: Request): boolean {
  return CSRF_EXEMPT.some((e) => e.method === req.method && e.path === req.path);
}

// Constant-time compare, so response timing does not reveal how much of a guess was right.
function sameToken(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

// One cookie's value from the Cookie header (express-session reads only its own).
function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
