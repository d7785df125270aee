import { Router } from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { Store } from 'express-rate-limit';
import type { Accounts, SessionUser } from '../accounts.ts';
import { csrfProtection } from '../csrf.ts';
import type { CsrfConfig } from '../csrf.ts';
import { createLoginThrottle } from '../login-throttle.ts';
import { cookieName, cookieOptions } from '../session.ts';
import { storeUnavailable } from '../store-error.ts';

// What the app keeps in a session, so req.session.user and the rest are typed.
declare module 'express-session' {
  interface SessionData {
    user: { name: string };
    /** The credential version it logged in with (accounts.ts). */
    credentialVersion: number;
    /** When the user logged in, in ms since the epoch: the start of the absolute timeout. */
    authenticatedAt: number;
    csrfToken: string;
  }
}

// Answers about who is logged in must never be cached by the browser or a proxy.
function noStore(req: Request, res: Response, next: NextFunction) {
  res.set('Cache-Control', 'no-store');
  next();
}

// A user is an object with a non-empty name. Anything else from the credential check (true, a
// string, a promise, an object without a name) is no login: only a real answer may log someone in.
function isUser(user: SessionUser | null): user is SessionUser {
  return typeof user === 'object' && user !== null && typeof user.name === 'string' && user.name !== '';
}

// accounts.verify(username, password) resolves to a user or null (accounts.ts);
// rateLimitStore(prefix) makes the login throttle's store (src/store.ts).
export function sessionRoutes(
  config: CsrfConfig,
  { rateLimitStore, accounts }: { rateLimitStore: (prefix: string) => Store; accounts: Accounts },
): Router {
  const router = Router();
  // counted in the session store, before the password is checked: see src/login-throttle.ts
  const throttle = createLoginThrottle(rateLimitStore);

  // The CSRF check itself runs before every route (src/app.ts); these routes hand out and renew the token.
  const csrf = csrfProtection(config);

  // Anonymous visitors get their token without a session: nothing is stored until login.
  router.get('/session', noStore, (req, res) => {
    const { user } = req.session;
    res.json({ authenticated: Boolean(user), ...(user && { user }), csrfToken: csrf.tokenFor(req, res) });
  });

  // The CSRF guard (src/app.ts) has already refused a request without a token, so it is never counted.
  router.post('/login', noStore, ...throttle, async (req, res, next) => {
    const { username, password } = req.body ?? {};
    let found: SessionUser | null;
    try {
      // Awaited: a database lookup answers with a promise, and a promise is truthy whatever it holds.
      found = await accounts.verify(username, password);
    } catch (err) {
      return next(storeUnavailable(err)); // the lookup failed: 503, never a login
    }
    if (!isUser(found)) return res.status(401).json({ error: 'invalid username or password' }); // stays counted
    const user = { name: found.name }; // only the name goes into the session, never a hash or a row
    // A new session id at login: an id planted or seen before login is now worthless (fixation).
    req.session.regenerate((err) => {
      if (err) return next(storeUnavailable(err));
      req.session.user = user;
      // The credential version it logged in with: a password change or removal raises or drops it,
      // which ends this session at its next request (app.ts).
      req.session.credentialVersion = found.version;
      req.session.authenticatedAt = Date.now(); // start of the absolute timeout
      const csrfToken = csrf.issueForSession(req, res); // a new token for the new session
      req.session.save((err) => {
        if (err) return next(storeUnavailable(err));
        res.json({ authenticated: true, user, csrfToken });
      });
    });
  });

  // POST with a CSRF token (the guard checks it), not GET: another page must not be able to log the user out.
  router.post('/logout', noStore, (req, res, next) => {
    req.session.destroy((err) => {
      if (err) return next(storeUnavailable(err));
      // Clearing must repeat Path and Secure, or browsers ignore it for a __Host- cookie.
      res.clearCookie(cookieName(config), cookieOptions(config));
      res.status(204).end();
    });
  });

  return router;
}
