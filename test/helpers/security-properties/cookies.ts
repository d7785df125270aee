// The security properties about the session cookie itself: how production sets it, a new id at login, what
// logout leaves, secret rotation, and forged ids. Rows #1, #3, #4, #7 and #8 of the table gathered in
// ../security-properties.ts; their checks: ../security-checks/cookies.ts.
import {
  forgedIds,
  logoutDestroys,
  newIdAtLogin,
  productionCookie,
  secretRotation,
} from '../security-checks/cookies.ts';
import { ALL_SETUPS, type SecurityProperty } from './property.ts';

export const COOKIE_PROPERTIES: readonly SecurityProperty[] = [
  {
    n: 1,
    test: 'production cookie: __Host-sid, Path=/, no Domain, HttpOnly, Secure, SameSite=Lax',
    property:
      'The production session cookie is `__Host-sid; Path=/; HttpOnly; Secure; SameSite=Lax` with no ' +
      'Domain, from login on (an anonymous `GET /session` sets none) and on every logged-in response.',
    setups: ALL_SETUPS,
    check: productionCookie,
  },
  {
    n: 3,
    test: 'login issues a new session id; the pre-login id is dead',
    property:
      'Login issues a new session id: an id held before it (the ' +
      "browser's earlier session, or one an attacker planted, signed " +
      "with the app's secret) is deleted from the store or never " +
      'stored, and replaying it is anonymous (no session fixation).',
    setups: ALL_SETUPS,
    check: newIdAtLogin,
  },
  {
    n: 4,
    test: 'logout destroys the session server-side; the clearing cookie keeps Secure and Path=/',
    property:
      'Logout deletes the session from the store; replaying the old cookie is ' +
      'anonymous; the clearing Set-Cookie keeps `Secure; Path=/` and no Domain.',
    setups: ALL_SETUPS,
    check: logoutDestroys,
  },
  {
    n: 7,
    test: 'secret rotation: SESSION_SECRET=new,old keeps old cookies and signs with new; dropping old ends them',
    property:
      'Secret rotation: with `SESSION_SECRET=new,old` cookies signed with `old` still work and every cookie ' +
      'sent is signed with `new` (HMAC-SHA256 checked); without `old` the old-signed cookies are anonymous. ' +
      'The anonymous CSRF token (an HMAC of its cookie) likewise: signed with `old` it still logs in under ' +
      '`new,old`, where `GET /session` hands out the one signed with `new`; without `old` it gets 403.',
    setups: ALL_SETUPS,
    check: secretRotation,
  },
  {
    n: 8,
    test: 'a tampered, unsigned or unknown session id is anonymous: never adopted, nothing stored, never a 500',
    property:
      'A tampered, unsigned, malformed or unknown session id is anonymous: no session is ' +
      "started for it, the attacker's id is never stored or adopted, and nothing answers 500.",
    setups: ALL_SETUPS,
    check: forgedIds,
  },
];
