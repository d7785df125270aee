// The security properties about how long a session lives, enforced by the server whatever the client keeps:
// the idle and absolute timeouts, and the fixed lifetime of --no-rolling. Rows #5, #6 and #21 of the table
// gathered in ../security-properties.ts; their checks: ../security-checks/lifetime.ts.
import { absoluteTimeout, fixedLifetime, idleTimeout } from '../security-checks/lifetime.ts';
import { ALL_SETUPS, type SecurityProperty } from './property.ts';

export const LIFETIME_PROPERTIES: readonly SecurityProperty[] = [
  {
    n: 5,
    test: 'idle timeout is enforced by the server (--max-age 3s, 4 s idle, the cookie replayed)',
    property:
      'The idle timeout is enforced by the server: after `--max-age` ' +
      'idle, replaying the cookie the client still has is anonymous.',
    setups: ALL_SETUPS,
    check: idleTimeout,
    app: 'short',
  },
  {
    n: 6,
    test: 'absolute timeout holds under constant activity (--absolute-timeout 6s, a request every second)',
    property:
      'The absolute timeout holds under constant activity: with a request every ' +
      'second, the session is logged in until `--absolute-timeout`, then not.',
    setups: ALL_SETUPS,
    check: absoluteTimeout,
    app: 'short',
  },
  {
    n: 21,
    test:
      'fixed lifetime is enforced by the server (--no-rolling ' +
      '--max-age 4s, a request every second, the cookie replayed)',
    property:
      'With `--no-rolling` the session ends `--max-age` after login whatever the activity: ' +
      'with a request every second it is logged in until then and anonymous after, ' +
      "the store's expiry never moves past that end (read directly), and the login " +
      'cookie replayed afterwards is anonymous while its record is gone or expired.',
    setups: ['nginx+sqlite', 'nginx+redis', 'nginx+postgres', 'nginx+mysql'],
    check: fixedLifetime,
    app: 'fixed',
  },
];
