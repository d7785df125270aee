// A scripted prompt for resolveOptions, as create-astro's tests hand their steps a `mockPrompt`: it
// answers from a script and records what was asked, so prompt flows are tested without a terminal.
import type { Raw } from '../../src/options.ts';
import type { Ask, Question } from '../../src/resolve-options.ts';

/**
 * Answers by option key. Several answers are typed one after another while the prompt refuses them
 * (a person correcting a typo); a key not in the script gets Enter, which accepts the default.
 */
export type Script = Record<string, Raw | readonly Raw[]>;

export function scriptedPrompt(script: Script = {}) {
  const asked: Question[] = [];
  const refused: { key: string; value: Raw; message: string }[] = [];
  const ask: Ask = async (question) => {
    asked.push(question);
    const tries = question.key in script ? [script[question.key]!].flat() : [question.default];
    for (const value of tries) {
      const check = question.validate(value);
      if (check === true) return value;
      refused.push({ key: question.key, value, message: check });
    }
    throw new Error(`the script has no answer to "${question.message}" that the prompt accepts`);
  };
  return {
    ask,
    asked,
    refused,
    /** The keys asked, in order. */
    keys: () => asked.map((question) => question.key),
    /** The question asked for this option. */
    question: (key: string) => asked.find((question) => question.key === key),
  };
}
