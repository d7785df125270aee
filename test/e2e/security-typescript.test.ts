// The security properties (README.md, "Security properties") of the app generated with --typescript,
// started as its `npm start` does (Node runs src/server.ts as it is): behind the generated nginx on
// sqlite, every row nginx+sqlite runs; behind the generated Caddyfile on Redis (this run's own key
// prefixes), the rows that run on both caddy+sqlite and nginx+redis. The rows come from the JavaScript
// setups' (test/helpers/security-setups.ts, jsTwins), so a new row needs no edit here. memory + none,
// in TypeScript too: memory-none-production.test.ts.
import { securitySuite, storeServerDown } from '../helpers/security-suite.ts';

securitySuite('ts:nginx+sqlite');
securitySuite('ts:caddy+redis', { serverDown: await storeServerDown('ts:caddy+redis') });
