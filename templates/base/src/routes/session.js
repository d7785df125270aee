import { Router } from 'express';
import { csrfTokenFor, issueCsrfToken, requireCsrfToken } from '../csrf.js';
import { createLoginThrottle } from '../login-throttle.js';
import { cookieName, cookieOptions } from '../session.js';
import { storeUnavailable } from '../store-error.js';

// Answers about who is logged in must never be cached by the browser or a proxy.
function noStore(req, res, next) {
  res.set('Cache-Control', 'no-store');
  next();
}

// A user is an object with a non-empty name. Anything else from the credential check (true, a
// string, a promise, an object without a name) is no login: only a real answer may log someone in.
function isUser(user) {
  return typeof user === 'object' && user !== null && typeof user.name === 'string' && user.name !== '';
}

// accounts.verify(username, password) resolves to a user or null (accounts.js).
export function sessionRoutes(config, accounts) {
  const router = Router();
  const throttle = createLoginThrottle();

  // The one anonymous route that starts a session: it stores the CSRF token the page needs to log in.
  router.get('/session', noStore, (req, res, next) => {
    const isNew = !req.session.csrfToken;
    const csrfToken = csrfTokenFor(req.session);
    const { user } = req.session;
    const body = { authenticated: Boolean(user), ...(user && { user }), csrfToken };
    // Unchanged: answer at once; express-session renews the lifetime in the store (rolling).
    if (!isNew) return res.json(body);
    // Renew the lifetime now, as express-session would only once the response is written: the saved
    // session must carry the new expiry, or a store that expires keys by it (Redis) drops it too early.
    req.session.touch();
    // save before answering, so a store failure becomes a clean 503 instead of a cut-off response
    req.session.save((err) => {
      if (err) return next(storeUnavailable(err));
      res.json(body);
    });
  });

  router.post('/login', noStore, throttle.check, requireCsrfToken, async (req, res, next) => {
    const { username, password } = req.body ?? {};
    let found;
    try {
      // Awaited: a database lookup answers with a promise, and a promise is truthy whatever it holds.
      found = await accounts.verify(username, password);
    } catch (err) {
      return next(storeUnavailable(err)); // the lookup failed: 503, never a login
    }
    if (!isUser(found)) {
      throttle.failed(req.ip);
      return res.status(401).json({ error: 'invalid username or password' });
    }
    const user = { name: found.name }; // only the name goes into the session, never a hash or a row
    // A success does not clear the count: anyone with an account could otherwise reset it between
    // guesses at other accounts by logging in as themselves.
    // A new session id at login: an id planted or seen before login is now worthless (fixation).
    req.session.regenerate((err) => {
      if (err) return next(storeUnavailable(err));
      req.session.user = user;
      // The credential version it logged in with: a password change or removal raises or drops it,
      // which ends this session at its next request (app.js).
      req.session.credentialVersion = found.version;
      req.session.authenticatedAt = Date.now(); // start of the absolute timeout
      const csrfToken = issueCsrfToken(req.session); // a new token for the new session
      req.session.save((err) => {
        if (err) return next(storeUnavailable(err));
        res.json({ authenticated: true, user, csrfToken });
      });
    });
  });

  // POST with a CSRF token, not GET: another page must not be able to log the user out.
  router.post('/logout', noStore, requireCsrfToken, (req, res, next) => {
    req.session.destroy((err) => {
      if (err) return next(storeUnavailable(err));
      // Clearing must repeat Path and Secure, or browsers ignore it for a __Host- cookie.
      res.clearCookie(cookieName(config), cookieOptions(config));
      res.status(204).end();
    });
  });

  return router;
}
