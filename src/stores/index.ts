import { memory } from './memory.js';
import { sqlite } from './sqlite.js';
import type { StoreModule } from './types.js';

// The first store is the default. Adding a store: a module here and templates/stores/<id>/.
export const STORES: readonly StoreModule[] = [sqlite, memory];
export type { StoreModule };
