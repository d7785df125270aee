// Asks, in table order, for what no flag gave. Answers go through the same parse as flags.
import { confirm, input, select } from '@inquirer/prompts';
import { CancelledError } from './errors.js';
import { OPTIONS, type OptionDef, type OptionKey, type RawAnswers } from './options.js';

export async function askMissing(given: RawAnswers, signal?: AbortSignal): Promise<RawAnswers> {
  const answers: RawAnswers = { ...given };
  for (const [key, def] of Object.entries(OPTIONS) as [OptionKey, OptionDef<unknown>][]) {
    if (answers[key] !== undefined || !def.prompt) continue;
    if (def.prompt.when && !def.prompt.when(answers)) continue;
    answers[key] = await ask(def, answers, signal);
  }
  return answers;
}

export async function askDirectory(defaultDirectory: string, validate: (value: string) => string | true, signal?: AbortSignal) {
  return cancellable(() => input({ message: 'Project directory', default: defaultDirectory, validate }, { signal }));
}

async function ask(def: OptionDef<unknown>, soFar: RawAnswers, signal?: AbortSignal) {
  const prompt = def.prompt!;
  const fallback = def.default(soFar);
  const validate = (value: string | boolean) => {
    try {
      def.parse(value, soFar);
      return true;
    } catch (error) {
      return (error as Error).message;
    }
  };
  return cancellable(async () => {
    if (prompt.kind === 'confirm') return confirm({ message: prompt.message, default: Boolean(fallback) }, { signal });
    if (prompt.kind === 'select') {
      const choices = (def.choices?.(soFar) ?? []).map((c) => ({ value: c.value, name: c.label }));
      return select({ message: prompt.message, choices, default: String(fallback) }, { signal });
    }
    return input({ message: prompt.message, default: String(fallback), validate }, { signal });
  });
}

/** Ctrl-C, a closed stdin or an abort: no answer, so nothing may be written. */
async function cancellable<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'AbortError') throw new CancelledError();
    throw error;
  }
}
