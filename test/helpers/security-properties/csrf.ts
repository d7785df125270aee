// The security properties about the CSRF token: state-changing requests without the visitor's own token are
// refused on every route and method, and the token changes at login. Rows #10 and #16 of the table gathered
// in ../security-properties.ts; their checks: ../security-checks/csrf.ts.
import { csrfTokens, unsafeMethods } from '../security-checks/csrf.ts';
import { ALL_SETUPS, PROXY_SETUPS, type SecurityProperty } from './property.ts';

export const CSRF_PROPERTIES: readonly SecurityProperty[] = [
  {
    n: 10,
    test: 'CSRF: state-changing routes without a valid token get 403; the token changes at login',
    property:
      "POST /login and POST /logout without the visitor's own CSRF token (none, a wrong " +
      "one, another visitor's, one without its cookie or signed with another secret, " +
      'and once logged in the pre-login one, even with its cookie) get 403 and change ' +
      "nothing; login issues a new token and clears the anonymous one's cookie.",
    setups: PROXY_SETUPS,
    check: csrfTokens,
  },
  {
    n: 16,
    test:
      'every unsafe route needs the token: POST, PUT, PATCH, DELETE without ' +
      'it get 403, even where no route exists; with it they reach routing',
    property:
      'POST, PUT, PATCH and DELETE without a valid CSRF token (none, ' +
      'a made-up one, one without its cookie; logged in: none, ' +
      "another visitor's, the pre-login one with its cookie) get " +
      "a JSON 403 on every path: the app's routes and paths " +
      'with no route for the method or none at all (`/no-such-route`, `/`, `/health`, `/assets/app.js`), and change ' +
      "nothing. With the anonymous or the session's token the " +
      "same requests reach routing: the route's answer, or a 404.",
    setups: ALL_SETUPS,
    check: unsafeMethods,
  },
];
