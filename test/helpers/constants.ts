// The values every e2e test generates the app with and logs into it with: one definition, so a
// rename of the cookie or the test domain is one line.

/** The domain the apps are generated for (--domain), and the test certificate's name. */
export const DOMAIN = 'app.test';
/** The production session cookie's name. */
export const COOKIE = '__Host-sid';
/** The anonymous CSRF token's cookie (a random value; the token is its HMAC with SESSION_SECRET). */
export const CSRF_COOKIE = '__Host-csrf';
/** The account the tests make with the app's own `user:add`, and its password. */
export const USER = 'alice';
export const PASSWORD = 'correct horse battery staple';
