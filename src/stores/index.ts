import { memory } from './memory.js';
import { mysql } from './mysql.js';
import { postgres } from './postgres.js';
import { redis } from './redis.js';
import { sqlite } from './sqlite.js';
import type { StoreModule } from './types.js';

// The first store is the default. Adding a store: a module here and templates/stores/<id>/
// (src/store.js plus its parts of the README, .env.example and the rest: partials/<file>/<part>.ejs);
// a flag of its own goes in its module's `options`, which the options table gathers. Its src/store.js exports
// createSessionStore(config), resolving to { store, ping, close, rateLimitStore }: the
// express-session store, a reachability check for /health, a clean shutdown, and
// rateLimitStore(prefix), a new express-rate-limit store on the same storage for the login throttle.
export const STORES: readonly StoreModule[] = [sqlite, redis, postgres, mysql, memory];
export type { StoreModule };
