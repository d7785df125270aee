import { randomBytes } from 'node:crypto';
import { envValue } from './escape.js';
import type { ProjectOptions } from './options.js';

export interface DevSecrets {
  sessionSecret: string;
  demoPassword: string;
}

export function makeDevSecrets(): DevSecrets {
  return {
    sessionSecret: randomBytes(48).toString('base64url'),
    demoPassword: randomBytes(12).toString('base64url'),
  };
}

/** The development `.env` (gitignored, mode 600): the dev script loads it; start never does. */
export function devEnvFile(options: ProjectOptions, secrets: DevSecrets): string {
  const { store } = options;
  const lines = [
    `# Development settings, loaded by \`${options.pm.run('dev')}\` only. Never commit this file.`,
    '# .env.example documents every variable.',
    'NODE_ENV=development',
    `SESSION_SECRET=${secrets.sessionSecret}`,
    'DEMO_USER=demo',
    `DEMO_PASSWORD=${secrets.demoPassword}`,
    // A location given with --store-url, password and all: committed files only get it without one.
    ...(store.urlEnv !== '' && options.storeUrl !== store.defaultUrl ? [`${store.urlEnv}=${envValue(options.storeUrl)}`] : []),
  ];
  return `${lines.join('\n')}\n`;
}
