// What one option is. The modules that own options define them with this (stores/options.ts,
// proxies/options.ts, a store's or proxy's own `options`), and options.ts gathers them into the table.
// It knows nothing of the project's options (project-options.ts), so the modules can import it.
import { UsageError } from './errors.js';

/** A value as a flag or a prompt gives it, before its option parses it. */
export type Raw = string | boolean;
export type RawAnswers = Record<string, Raw | undefined>;

/**
 * What an option sees of the options resolved before it, when it knows nothing of them: a store's or
 * proxy's own option reads them by key. The project's table sees them typed (project-options.ts).
 */
export type LooseSoFar = { readonly [key: string]: unknown };

export interface OptionDef<T, S = LooseSoFar> {
  /** `--store <name>`; a boolean flag has no `<value>`; a negatable one also gets `--no-…`. */
  flag: string;
  /** Help for the `--no-…` form of a negatable flag. */
  negatedHelp?: string;
  help: string;
  /** How --help describes the default when it depends on the run. */
  defaultHelp?: string;
  /**
   * Used when neither a flag nor an answer gave a value, and shown in --help and by the prompt;
   * undefined when the option does not apply to the choices so far (--trust-proxy without --proxy
   * custom). `given` is what the flags gave, for a default that follows a flag further down.
   */
  default: (soFar: S, given: RawAnswers) => Raw | undefined;
  choices?: () => readonly { value: string; label: string }[];
  /** How to ask for it interactively; no prompt means the option is a flag only. */
  prompt?: { kind: 'input' | 'select' | 'confirm'; message: string; when?: (soFar: S) => boolean };
  /** `raw` is undefined only where `default` gave undefined: the option does not apply. */
  parse: (raw: Raw | undefined, soFar: S) => T;
  /**
   * The parsed value as --json reports it. Without it: a string, number or boolean as it is, a
   * module (store, proxy, package manager) by its id, a Duration as written ("30m"), null as "none".
   * A method, so that a table of options of every type can hold this one.
   */
  describe?(value: T): string | number | boolean;
}

export type OptionTable<S = LooseSoFar> = Readonly<Record<string, OptionDef<unknown, S>>>;

/** An option a store or proxy declares for itself; the table's own options use projectOption (project-options.ts). */
export const option = <T>(def: OptionDef<T>): OptionDef<T> => def;
export const asString = (raw: Raw | undefined): string => (raw === undefined ? '' : String(raw));
export const asBoolean = (raw: Raw | undefined): boolean => raw === true || raw === 'true';

/**
 * The options the modules of one choice (stores, proxies) declare for themselves, as sv's add-ons
 * declare theirs: each applies only when its module is the chosen one, is asked only then, and is
 * refused with any other choice. Their keys are known only at run time, so the type adds none.
 */
export function ownOptions<M extends { id: string; options?: OptionTable }>(
  modules: readonly M[],
  choice: 'store' | 'proxy',
): Record<never, OptionDef<unknown>> {
  const table: Record<string, OptionDef<unknown>> = {};
  for (const module of modules) {
    for (const [key, def] of Object.entries(module.options ?? {})) {
      if (key in table) throw new Error(`option ${key} is declared by two ${choice} modules`);
      const chosen = (soFar: LooseSoFar) => (soFar[choice] as unknown) === module;
      const flag = def.flag.split(' ')[0]!;
      table[key] = {
        ...def,
        defaultHelp: def.defaultHelp ?? String(def.default({ [choice]: module }, {})),
        default: (soFar, given) => (chosen(soFar) ? def.default(soFar, given) : undefined),
        prompt: def.prompt && { ...def.prompt, when: (soFar) => chosen(soFar) && (def.prompt!.when?.(soFar) ?? true) },
        parse: (raw, soFar) => {
          if (chosen(soFar)) return def.parse(raw, soFar);
          if (raw === undefined) return undefined;
          const only = `--${choice} ${module.id}`;
          throw new UsageError(`${flag} only applies to ${only}: drop ${flag}, or use ${only}.`);
        },
      };
    }
  }
  return table;
}
