// Resolves every option once, in table order: the flag's value, else the answer to its prompt (when
// someone can be asked and the prompt applies), else its default; then its parse. Later options read
// earlier ones parsed (the chosen store, the idle lifetime), so nothing is parsed twice.
import {
  OPTION_TABLE,
  type OptionTable,
  type Raw,
  type RawAnswers,
  type ResolvedOptions,
  type SoFar,
} from './options.js';

interface QuestionBase {
  /** The option's key in the table ("storeUrl"). */
  key: string;
  message: string;
  /** The option's parse as a prompt's check: true, or the message saying what is wrong. */
  validate: (value: Raw) => true | string;
}

/** One prompt, as @inquirer/prompts takes it: the default is what Enter accepts. */
export type Question =
  | (QuestionBase & { kind: 'input'; default: string })
  | (QuestionBase & { kind: 'select'; default: string; choices: readonly { value: string; label: string }[] })
  | (QuestionBase & { kind: 'confirm'; default: boolean });

/** Asks one question and resolves to the answer (prompts.ts on a terminal; a script in tests). */
export type Ask = (question: Question) => Promise<Raw>;

export interface Resolution {
  /** Every option parsed, with the values of the options stores and proxies declare for themselves. */
  options: ResolvedOptions;
  /** What the flags gave and the prompts answered: what the command printed for next time repeats. */
  answers: RawAnswers;
  /** The keys of the options that were asked, in order. */
  asked: string[];
  /** The defaults taken for what nothing gave or asked, in table order (not the options that do not apply). */
  defaulted: Record<string, Raw>;
}

/**
 * Without `ask` nothing is asked and the result comes at once (--yes, no terminal, and the tests that
 * need options); with it, each option no flag gave is asked for when its prompt applies. `table` is
 * the CLI's, or a test's with modules of its own (options.ts `optionsFor`).
 */
export function resolveOptions(given: RawAnswers, ask?: undefined, table?: OptionTable<SoFar>): Resolution;
export function resolveOptions(given: RawAnswers, ask: Ask, table?: OptionTable<SoFar>): Promise<Resolution>;
export function resolveOptions(given: RawAnswers, ask?: Ask, table = OPTION_TABLE): Resolution | Promise<Resolution> {
  const steps = resolve(given, ask !== undefined, table);
  if (!ask) {
    const step = steps.next(); // with no one to ask, the loop never stops at a question
    if (!step.done) throw new Error(`resolveOptions asked "${step.value.message}" with no prompt`);
    return step.value;
  }
  return (async () => {
    let step = steps.next();
    while (!step.done) step = steps.next(await ask(step.value));
    return step.value;
  })();
}

/** The one loop, as a generator so that the same code serves both: it yields each question to ask. */
function* resolve(given: RawAnswers, asking: boolean, table: OptionTable<SoFar>): Generator<Question, Resolution, Raw> {
  const soFar: Record<string, unknown> = {};
  const answers: RawAnswers = {};
  const asked: string[] = [];
  const defaulted: Record<string, Raw> = {};
  for (const [key, def] of Object.entries(table)) {
    const parsedSoFar = soFar as SoFar;
    let raw = given[key];
    if (raw === undefined && asking && def.prompt && (def.prompt.when?.(parsedSoFar) ?? true)) {
      raw = yield question(key, def.prompt, def.default(parsedSoFar, given), def.choices?.() ?? [], (value) => {
        try {
          def.parse(value, parsedSoFar);
          return true;
        } catch (error) {
          return (error as Error).message;
        }
      });
      asked.push(key);
    }
    if (raw !== undefined) answers[key] = raw;
    else {
      raw = def.default(parsedSoFar, given);
      // undefined: the option does not apply to the choices made (--trust-proxy without --proxy custom)
      if (raw !== undefined) defaulted[key] = raw;
    }
    soFar[key] = def.parse(raw, parsedSoFar);
  }
  return { options: soFar as Resolution['options'], answers, asked, defaulted };
}

function question(
  key: string,
  prompt: { kind: Question['kind']; message: string },
  fallback: Raw | undefined,
  choices: readonly { value: string; label: string }[],
  validate: QuestionBase['validate'],
): Question {
  const base = { key, message: prompt.message, validate };
  if (prompt.kind === 'confirm') return { ...base, kind: 'confirm', default: Boolean(fallback) };
  if (prompt.kind === 'select') return { ...base, kind: 'select', default: String(fallback), choices };
  return { ...base, kind: 'input', default: String(fallback) };
}
