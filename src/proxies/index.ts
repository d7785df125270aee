import { nginx } from './nginx.js';
import { none } from './none.js';
import type { ProxyModule } from './types.js';

// The first proxy setup is the default. Adding one: a module here and templates/proxies/<id>/.
export const PROXIES: readonly ProxyModule[] = [nginx, none];
export type { ProxyModule };
