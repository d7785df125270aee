// The security properties about accounts and the store they live in: the login throttle shared by two
// instances, only password hashes stored, and a password change ending the other sessions. Rows #18, #19
// and #20 of the table gathered in ../security-properties.ts; their checks: ../security-checks/accounts.ts.
import { passwordChange, passwordHashes, sharedThrottle } from '../security-checks/accounts.ts';
import { ALL_SETUPS, STORE_SETUPS, type SecurityProperty } from './property.ts';

export const ACCOUNT_PROPERTIES: readonly SecurityProperty[] = [
  {
    n: 18,
    test:
      'the login throttle is shared by two instances behind ' +
      'nginx; 30 parallel guesses give at most 10 answers of 401',
    property:
      'Two instances of the app on the same store behind one nginx count failed logins as one: wrong ' +
      'guesses from one address spread over both get ten 401s, then 429 with Retry-After from each ' +
      'instance, even with the right password; 30 parallel wrong guesses from another address get at ' +
      'most ten 401s and 429 for the rest (each attempt is counted before the password is checked).',
    setups: ['nginx+sqlite', ...STORE_SETUPS],
    check: sharedThrottle,
  },
  {
    n: 19,
    test: 'only password hashes are stored: no plaintext in the store, scrypt at N=2^17, r=8, p=1 or more',
    property:
      'The store (read directly: the users and the sessions) holds ' +
      'no plaintext password, before or after a login; the account, ' +
      "made with `user:add`, holds one `$scrypt$ln=…,r=…,p=…$salt$hash` string with at least OWASP's N=2^17, r=8, p=1.",
    setups: ALL_SETUPS,
    check: passwordHashes,
  },
  {
    n: 20,
    test: "a password change ends the user's other sessions: two sessions, user:passwd, both anonymous",
    property:
      "Two logged-in sessions of one user are both anonymous at their next request after `user:passwd` (the app's " +
      'own script, on its store) changes the password; the old password no longer logs in, the new one does.',
    setups: ALL_SETUPS,
    check: passwordChange,
  },
];
