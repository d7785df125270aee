// The store's options: which store, where it lives, and whatever a store declares for itself.
// Each store module supplies its own default location, hint and check; this file only asks.
import { pickChoice } from '../choices.js';
import { UsageError } from '../errors.js';
import { asString, ownOptions } from '../option-def.js';
import { projectOption } from '../project-options.js';
import type { StoreModule } from './types.js';
import { redactUrl } from './url.js';

/** The options for choosing among these stores: the CLI's (stores/index.ts), or a test's. */
export const storeOptions = (stores: readonly StoreModule[]) => ({
  store: projectOption<StoreModule>({
    flag: '--store <name>',
    help: 'session store',
    default: () => stores[0]!.id,
    choices: () => stores.map((s) => ({ value: s.id, label: s.label })),
    prompt: { kind: 'select', message: 'Session store' },
    parse: (raw) => pickChoice(stores, asString(raw), '--store'),
  }),
  storeUrl: projectOption<string>({
    flag: '--store-url <url|path>',
    help: 'where the store lives (sqlite: a file path; servers: a URL)',
    defaultHelp: `${stores
      .filter((s) => s.defaultUrl)
      .map((s) => `${s.id}: ${s.defaultUrl}`)
      .join(', ')}`,
    default: (soFar) => soFar.store?.defaultUrl,
    prompt: { kind: 'input', message: 'Store location', when: (soFar) => soFar.store?.urlEnv !== '' },
    parse: (raw, soFar) => {
      const url = asString(raw);
      const store = soFar.store!; // resolved above: --store comes first in the table
      const problem = store.validateUrl(url);
      // Named with its password masked (this line can end up in CI logs) and quoted as JSON, so a
      // newline in it cannot break the one-line message.
      if (problem)
        throw new UsageError(`Invalid --store-url ${JSON.stringify(redactUrl(url))}: ${problem}; ${store.urlHint}.`);
      return url;
    },
    describe: redactUrl, // --json goes to stdout, which ends up in CI logs
  }),
  ...ownOptions(stores, 'store'),
});
