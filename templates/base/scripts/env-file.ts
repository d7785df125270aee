// How the development .env is made from .env.example: the same lines, a few variables set. This one
// module is used both by the setup script and by create-secure-session-app, which
// wrote the first .env with it, so the two can never make different files.
import { randomBytes } from 'node:crypto';

/** The opening comment of .env; it replaces .env.example's, which speaks of the example. */
export const ENV_HEADER = [
  '# Development settings, loaded by the dev script only (node --env-file=.env). Never commit this file.',
  '# Made from .env.example, which documents every variable, with fresh random secrets.',
];

/** New development secrets: 48 random bytes sign the session cookie, 12 make the demo password. */
export function newSecrets(): { SESSION_SECRET: string; DEMO_PASSWORD: string } {
  return {
    SESSION_SECRET: randomBytes(48).toString('base64url'),
    DEMO_PASSWORD: randomBytes(12).toString('base64url'),
  };
}

/**
 * `example` (the text of .env.example) with its opening comment replaced by ENV_HEADER and each
 * `NAME=...` line of a variable in `values` set to that value; a variable the example has no line
 * for is added at the end. Values are written as given: quote them first if they need it.
 */
export function fillEnvExample(example: string, values: Record<string, string>): string {
  for (const [name, value] of Object.entries(values)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a variable name: ${JSON.stringify(name)}`);
    if (/[\r\n]/.test(value)) throw new Error(`${name}: a .env value cannot hold a line break`);
  }
  const lines = example.replace(/\r?\n$/, '').split(/\r?\n/);
  // The opening comment is the lines up to the first blank or non-comment line.
  const start = lines.findIndex((line) => !line.startsWith('#'));
  const body = start === -1 ? [] : lines.slice(start);
  const unset = new Set(Object.keys(values));
  const filled = body.map((line) => {
    const name = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(line)?.[1];
    if (name === undefined || !Object.hasOwn(values, name)) return line;
    unset.delete(name);
    return `${name}=${values[name]}`;
  });
  const added = [...unset].map((name) => `${name}=${values[name]}`);
  return `${[...ENV_HEADER, ...filled, ...added].join('\n')}\n`;
}
