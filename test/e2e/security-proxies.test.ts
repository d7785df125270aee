// The security properties (README.md, "Security properties") on the other proxy setups, with the
// default store (sqlite): real Caddy with the generated Caddyfile; no proxy (the app serves HTTPS
// itself); a platform (paas) and another proxy (custom), each behind a test nginx that plays the
// platform's router or the user's proxy. Which property runs where: test/helpers/security-properties.ts.
import { securitySuite } from '../helpers/security-suite.ts';

securitySuite('caddy+sqlite');
securitySuite('none+sqlite');
securitySuite('paas+sqlite');
securitySuite('custom+sqlite');
