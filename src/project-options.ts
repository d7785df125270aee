// The options as this project resolves them, typed: what the table's options read of those above
// them, and what the later steps get. Only this file knows both the option kit (option-def.ts) and
// the store and proxy modules, whose own tables use the kit: so no import goes round in a circle.
import type { Duration } from './durations.js';
import type { OptionDef } from './option-def.js';
import type { PackageManager } from './package-managers.js';
import type { ProxyModule } from './proxies/types.js';
import type { StoreModule } from './stores/types.js';

/** The table's options once resolved (resolve-options.ts), each parsed by its own option. */
export interface ProjectOptions {
  store: StoreModule;
  storeUrl: string;
  maxAge: Duration;
  rolling: boolean;
  absoluteTimeout: Duration | null;
  proxy: ProxyModule;
  trustProxy: string;
  domain: string;
  port: number;
  typescript: boolean;
  pm: PackageManager;
  install: boolean;
  git: boolean;
}

/**
 * All a run resolved: with the values of the options the chosen store and proxy declare for
 * themselves, by key (undefined for those of the modules not chosen).
 */
export type ResolvedOptions = ProjectOptions & { readonly [key: string]: unknown };

/**
 * The options resolved before this one, parsed (the chosen store, the idle lifetime): options are
 * resolved in table order, so an option may read any option above it and none below it.
 */
export type SoFar = Partial<ProjectOptions> & { readonly [key: string]: unknown };

/** One of the table's options, which sees those above it typed. */
export const projectOption = <T>(def: OptionDef<T, SoFar>): OptionDef<T, SoFar> => def;

/** What the table holds for each of the project's options. */
export type ProjectOptionDefs = { [K in keyof ProjectOptions]: OptionDef<ProjectOptions[K], SoFar> };
