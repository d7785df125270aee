// The account scripts of package.json, on the store the app is configured for, with the same
// environment variables as the start script (the store's location; no secret is needed):
//
//   user:add -- <name>      asks for the password (twice, without echo) on a terminal,
//                           or reads one line from standard input when it is piped
//   user:passwd -- <name>   the same; ends every session of that user
//   user:remove -- <name>   ends every session of that user too
//   user:list
//
// A failure is one line on stderr and a non-zero exit (2: wrong use, 1: refused or failed). Nothing
// secret is ever printed.
import { AccountError, createAccounts, nameProblem } from '../src/accounts.ts';
import type { Accounts } from '../src/accounts.ts';
import { loadStoreConfig } from '../src/config.ts';
import { createUserStore } from '../src/users.ts';
import { askHidden } from './hidden-input.ts';

/** One command: whether it takes a name and asks a password, what it does, and what it then says. */
interface Command {
  takesName: boolean;
  asksPassword?: boolean;
  /** `password` is given to the commands that ask for one. */
  run: (accounts: Accounts, name: string, password?: string) => Promise<unknown>;
  done: (name: string, listed: unknown) => unknown;
}

const USAGE = 'usage: user:add|user:passwd|user:remove -- <name>, or user:list';
const COMMANDS: Record<string, Command> = {
  add: {
    takesName: true,
    asksPassword: true,
    run: (accounts, name, password) => accounts.add(name, password!),
    done: (name) => `added user ${name}`,
  },
  passwd: {
    takesName: true,
    asksPassword: true,
    run: (accounts, name, password) => accounts.changePassword(name, password!),
    done: (name) => `changed the password of ${name}; their sessions end at their next request`,
  },
  remove: {
    takesName: true,
    run: (accounts, name) => accounts.remove(name),
    done: (name) => `removed user ${name}; their sessions end at their next request`,
  },
  list: {
    takesName: false,
    run: async (accounts) => (await accounts.list()).join('\n'),
    done: (name, listed) => listed,
  },
};

class UsageError extends Error {}

async function main([command, ...given]: string[]) {
  // npm and yarn drop the `--` before the name; pnpm and bun hand it on.
  const args = given[0] === '--' ? given.slice(1) : given;
  const spec = COMMANDS[command as string];
  if (!spec) throw new UsageError(`unknown command ${JSON.stringify(command ?? '')}; ${USAGE}`);
  if (args.length !== (spec.takesName ? 1 : 0)) {
    throw new UsageError(
      spec.takesName
        ? `user:${command} takes one user name (after --); ${USAGE}`
        : `user:${command} takes no arguments`,
    );
  }
  const [name] = args as [string];
  if (spec.takesName && nameProblem(name)) throw new AccountError(nameProblem(name)!);
  const users = await createUserStore(loadStoreConfig());
  try {
    // Say so before asking for a password that could not be used (add and passwd check again after).
    const exists = spec.takesName && (await users.find(name)) !== null;
    if (command === 'add' && exists) throw new AccountError(`user ${name} exists already`);
    if (command !== 'add' && spec.takesName && !exists) throw new AccountError(`there is no user ${name}`);
    const password = spec.asksPassword ? await readPassword(name) : undefined;
    const listed = await spec.run(createAccounts(users), name, password);
    const message = spec.done(name, listed);
    if (message) console.log(message);
  } finally {
    await users.close();
  }
}

// On a terminal: asked twice, without echo. Piped (CI, scripts): the first line of standard input.
async function readPassword(name: string): Promise<string> {
  if (!process.stdin.isTTY) return firstLine();
  const password = await askHidden(`password for ${name}: `);
  if (password !== (await askHidden('the same password again: '))) throw new AccountError('the two passwords differ');
  return password;
}

async function firstLine(): Promise<string> {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) {
    text += chunk;
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0]!;
}

try {
  await main(process.argv.slice(2));
  process.exit(0); // a store's connection must not keep the script waiting
} catch (err) {
  // One line: the rule that was broken, or why the store could not be used; never a password.
  console.error(`error: ${(err as Error).message}`);
  process.exit(err instanceof UsageError ? 2 : 1);
}
