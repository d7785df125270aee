// The prompts on a terminal, through @inquirer/prompts. Which option is asked, with what default,
// is resolve-options.ts's business; this only shows a question and reads the answer. @inquirer/prompts
// is loaded when the first question is asked: a run that asks nothing (--yes, no terminal) never pays for it.
import { CancelledError } from './errors.js';
import type { Ask } from './resolve-options.js';

/** Asks on the terminal; `signal` ends the prompt on Ctrl-C while a prompt is open. */
export function terminalPrompt(signal?: AbortSignal): Ask {
  return (question) =>
    cancellable(async () => {
      const { confirm, input, select } = await import('./inquirer.js');
      const { message } = question;
      if (question.kind === 'confirm') return confirm({ message, default: question.default }, { signal });
      if (question.kind === 'select') {
        const choices = question.choices.map((c) => ({ value: c.value, name: c.label }));
        return select({ message, choices, default: question.default }, { signal });
      }
      return input({ message, default: question.default, validate: question.validate }, { signal });
    });
}

export async function askDirectory(
  defaultDirectory: string,
  validate: (value: string) => string | true,
  signal?: AbortSignal,
) {
  return cancellable(async () => {
    const { input } = await import('./inquirer.js');
    return input({ message: 'Project directory', default: defaultDirectory, validate }, { signal });
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
