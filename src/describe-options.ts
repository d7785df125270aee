// The options as --json reports them, read from the table: each option as its `describe` gives it, so
// an option a store or proxy declares for itself is reported when it applies and left out when not.
import { OPTION_TABLE, type OptionTable, type ResolvedOptions, type SoFar } from './options.js';

export type Described = string | number | boolean;

/** Every option that applies, in table order; `table` is the CLI's, or a test's (options.ts `optionsFor`). */
export function describeOptions(options: ResolvedOptions, table: OptionTable<SoFar> = OPTION_TABLE) {
  const described: Record<string, Described> = {};
  for (const [key, def] of Object.entries(table)) {
    const value = options[key];
    // A module's own option is undefined when another module was chosen.
    if (value === undefined) continue;
    described[key] = def.describe ? def.describe(value) : describeValue(value, def.flag);
  }
  return described;
}

/** The default of OptionDef `describe`. */
function describeValue(value: unknown, flag: string): Described {
  if (value === null) return 'none';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'object' && 'id' in value) return String(value.id); // a store, proxy or package manager
  if (typeof value === 'object' && 'text' in value) return String(value.text); // a Duration, as written
  throw new Error(`${flag} needs a describe: --json cannot show its value`);
}
