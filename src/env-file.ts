// The development `.env` (gitignored, mode 600): `npm run dev` loads it; `npm start` never does.
// It is the rendered `.env.example` filled in by the generated app's own scripts/env-file.ts, the
// module its `npm run setup` uses on a fresh clone: one implementation, so the two cannot drift.
import { fillEnvExample, newSecrets } from '../templates/base/scripts/env-file.ts';
import { envValue } from './escape.js';
import type { ProjectOptions } from './options.js';

export interface DevSecrets {
  sessionSecret: string;
  demoPassword: string;
}

export function makeDevSecrets(): DevSecrets {
  const secrets = newSecrets();
  return { sessionSecret: secrets.SESSION_SECRET, demoPassword: secrets.DEMO_PASSWORD };
}

/** The variables `.env` sets over `.env.example`: those `npm run setup` sets, and a --store-url. */
export function devEnvValues(options: ProjectOptions, secrets: DevSecrets): Record<string, string> {
  const { store } = options;
  return {
    NODE_ENV: 'development',
    SESSION_SECRET: secrets.sessionSecret,
    DEMO_PASSWORD: secrets.demoPassword,
    // A location given with --store-url, password and all: committed files only get it without one.
    ...(store.urlEnv !== '' && options.storeUrl !== store.defaultUrl
      ? { [store.urlEnv]: envValue(options.storeUrl) }
      : {}),
  };
}

/** `.env` from the rendered `.env.example` and `devEnvValues`. */
export function devEnvFile(example: string, values: Record<string, string>): string {
  return fillEnvExample(example, values);
}
