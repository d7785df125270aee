import { memory } from './memory.js';
import { mysql } from './mysql.js';
import { postgres } from './postgres.js';
import { redis } from './redis.js';
import { sqlite } from './sqlite.js';
import type { StoreModule } from './types.js';

// The first store is the default. Adding a store: a module here and templates/stores/<id>/
// (src/store.js plus partials/README.md.ejs and partials/env.example.ejs).
export const STORES: readonly StoreModule[] = [sqlite, redis, postgres, mysql, memory];
export type { StoreModule };
