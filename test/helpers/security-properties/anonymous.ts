// The security properties about anonymous visitors, who store nothing: no session and no row for pages,
// assets and GET /session, only the anonymous token's cookie. Rows #15 and #17 of the table gathered in
// ../security-properties.ts; their checks: ../security-checks/anonymous.ts.
import { anonymousGets, anonymousVisitors } from '../security-checks/anonymous.ts';
import { ALL_SETUPS, type SecurityProperty } from './property.ts';

export const ANONYMOUS_PROPERTIES: readonly SecurityProperty[] = [
  {
    n: 15,
    test: 'anonymous GETs of pages, assets and unknown paths create no session: no Set-Cookie, no new row in the store',
    property:
      'Anonymous GETs of `/`, `/health`, `/assets/app.js` and an unknown path set no cookie ' +
      'at all and add no session to the store (read directly); a login does add one.',
    setups: ALL_SETUPS,
    check: anonymousGets,
  },
  {
    n: 17,
    test:
      'anonymous visitors store nothing: 1000 page loads with GET /session ' +
      'add no row and no session cookie; the pre-login token dies at login',
    property:
      '1000 anonymous page loads (`/`, its assets, `GET /session` twice, each a new visitor) get no session ' +
      "cookie and add no row to the store (read directly); `GET /session` sets only the anonymous token's " +
      'cookie, `__Host-csrf; Path=/; HttpOnly; Secure; SameSite=Strict`, once. Login with that token ' +
      'works and clears the cookie; after it the pre-login token gets 403, even with its cookie put back.',
    setups: ALL_SETUPS,
    check: anonymousVisitors,
  },
];
