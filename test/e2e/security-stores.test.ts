// The security properties that depend on the session store (README.md, "Security properties"), on
// every server store behind nginx: Redis, PostgreSQL and MariaDB on 127.0.0.1 (started by the machine
// or .ci/run), each read directly with its own client. Which property runs where:
// test/helpers/security-properties.ts.
import { securitySuite, storeServerDown } from '../helpers/security-suite.ts';

const SETUPS = ['nginx+redis', 'nginx+postgres', 'nginx+mysql'] as const;
// Reachability of each server, checked once (top-level await) so a suite can be skipped or failed.
const down = await Promise.all(SETUPS.map(storeServerDown));
SETUPS.forEach((setup, i) => securitySuite(setup, { serverDown: down[i]! }));
