import { caddy } from './caddy.js';
import { custom } from './custom.js';
import { nginx } from './nginx.js';
import { none } from './none.js';
import { paas } from './paas.js';
import type { ProxyModule } from './types.js';

// The first proxy setup is the default. Adding one: a module here and templates/proxies/<id>/
// (deploy files, src/ overrides, plus its parts of base files: partials/<file>/<part>.ejs); a flag of
// its own goes in its module's `options`, which the options table gathers.
export const PROXIES: readonly ProxyModule[] = [nginx, caddy, paas, custom, none];
export type { ProxyModule };
