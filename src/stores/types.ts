import type { DependencyName } from '../dependency-versions.js';
import type { OptionTable } from '../option-def.js';
import type { InstallScripts } from '../package-managers.js';

/**
 * One session store the generated app can use: a module here plus templates/stores/<id>/, whose
 * `partials/<file>/<part>.ejs` fill the parts of base files (README, .env.example, config.js, tests).
 */
export interface StoreModule {
  id: string;
  label: string;
  /** The store in a sentence, with its article: "a Redis" (… session store). */
  phrase: string;
  /**
   * memory: in the process, lost on restart; file: a local file (one machine);
   * server: a URL to a server every instance shares. Server stores also get templates/stores/_server/.
   */
  kind: 'memory' | 'file' | 'server';
  /** Runtime dependencies the store adds to the generated package.json (ranges: dependency-versions.ts). */
  dependencies: readonly DependencyName[];
  /**
   * Its dependencies that have install scripts, or a binding.gyp that some managers build, and
   * whether those may run; each package manager is told in its own way (package-managers.ts).
   */
  installScripts: readonly InstallScripts[];
  /**
   * Dependencies the TypeScript app must hold one copy of: a `@types` package of the store's depends on
   * a version of its own, whose types clash with the app's. Each is overridden to the app's own range,
   * in the chosen package manager's own way (package-managers.ts).
   */
  typeOverrides?: readonly DependencyName[];
  /** The environment variable the app reads the location from; "" when the store has none. */
  urlEnv: string;
  defaultUrl: string;
  /** URL schemes the location may use, as `new URL().protocol` gives them ("redis:"); [] for a file path or none. */
  urlSchemes: string[];
  /** What to give instead, as an instruction: "use a URL such as …". */
  urlHint: string;
  /** Returns an error message for a location the store cannot use, or undefined. */
  validateUrl(url: string): string | undefined;
  /**
   * Flags and prompts only this store takes, keyed as commander names the flag (--key-prefix →
   * keyPrefix). The options table gathers them after --store-url; they are asked only when this
   * store is chosen and refused with any other (option-def.ts `ownOptions`).
   * Their values reach the templates as `store.options` and --json (template-context.ts, describe-options.ts).
   */
  options?: OptionTable;
}
