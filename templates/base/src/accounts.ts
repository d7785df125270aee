// Accounts: the rules every store shares. The rows live where the sessions live, in the store's own
// src/users.ts, which has these methods (all async; a failed store throws, and the request answers 503):
//
//   find(name)                         { name, passwordHash, version } or null
//   insert(name, passwordHash)         true, or false when the name exists already
//   setPassword(name, passwordHash)    raises the credential version; false when there is no such user
//   upgradeHash(name, oldHash, hash)   a rehash at login: only while the stored hash is still oldHash
//   remove(name)                       true, or false when there was no such user
//   list()                             the names, sorted
//
// version, the credential version, is what ends sessions when a password changes: the session keeps
// the version it logged in with, and every request compares it with the store's (stillValid below).
// To keep users in a table of your own later, give these methods your table: the rules here stay.
import { dummyHash, hashPassword, passwordProblem, verifyPassword } from './passwords.ts';

/** A user's row, as a store's find() returns it. */
export interface UserRow {
  name: string;
  passwordHash: string;
  version: number;
}

/** The methods of a store's src/users.ts (see above). */
export interface UserStore {
  find(name: string): Promise<UserRow | null>;
  insert(name: string, passwordHash: string): Promise<boolean>;
  setPassword(name: string, passwordHash: string): Promise<boolean>;
  upgradeHash(name: string, oldHash: string, newHash: string): Promise<void>;
  remove(name: string): Promise<boolean>;
  list(): Promise<string[]>;
  close(): Promise<unknown>;
  /** The memory store's accounts live in the app's process: the user:* scripts cannot reach them. */
  inProcess?: boolean;
}

/** Who a session belongs to: the name, and the credential version it logged in with. */
export interface SessionUser {
  name: string;
  version: number;
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const NAME_RULE = 'a user name is 1 to 64 characters: lowercase letters, digits, and . _ - (not first)';

/** Why `name` cannot be a user name (the rule), or undefined. */
export function nameProblem(name: unknown): string | undefined {
  return typeof name === 'string' && NAME.test(name) ? undefined : NAME_RULE;
}

/** A refusal for the person at the keyboard (a taken name, a weak password): one line, nothing secret. */
export class AccountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccountError';
  }
}

/** The account operations the routes, server.ts and the user:* scripts use. */
export type Accounts = ReturnType<typeof createAccounts>;

export function createAccounts(users: UserStore) {
  void dummyHash(); // made now, so the first unknown name costs no more than later ones
  const refuse = (problem: string | undefined) => {
    if (problem) throw new AccountError(problem);
  };

  return {
    users,

    // The credential check: resolves to the user ({ name, version }) or null; throws only when the
    // store failed. An unknown or malformed name is checked against a dummy hash, so it takes as long
    // as a wrong password, and both get the same answer.
    async verify(username: unknown, password: unknown): Promise<SessionUser | null> {
      const found = nameProblem(username) === undefined ? await users.find(username as string) : null;
      const { ok, outdated } = await verifyPassword(password, found?.passwordHash ?? (await dummyHash()));
      if (!found || !ok) return null;
      if (outdated) {
        // Made with weaker parameters than today's: replace it now that the password is at hand.
        await users.upgradeHash(found.name, found.passwordHash, await hashPassword(password as string));
      }
      return { name: found.name, version: found.version };
    },

    // Whether a logged-in session's user still exists with the credential version it logged in with.
    async stillValid(sessionUser: { name: string; version: number | undefined }): Promise<boolean> {
      const found = await users.find(sessionUser.name);
      return found !== null && found.version === sessionUser.version;
    },

    async add(name: string, password: string): Promise<void> {
      refuse(nameProblem(name));
      refuse(passwordProblem(password));
      if (!(await users.insert(name, await hashPassword(password))))
        throw new AccountError(`user ${name} exists already`);
    },

    async changePassword(name: string, password: string): Promise<void> {
      refuse(nameProblem(name));
      refuse(passwordProblem(password));
      if (!(await users.setPassword(name, await hashPassword(password))))
        throw new AccountError(`there is no user ${name}`);
    },

    async remove(name: string): Promise<void> {
      refuse(nameProblem(name));
      if (!(await users.remove(name))) throw new AccountError(`there is no user ${name}`);
    },

    list: () => users.list(),

    // Development only (server.ts): .env's DEMO_USER/DEMO_PASSWORD as a ready account, created or
    // given that password at start. Several instances starting at once each end with it.
    async ensure(name: string, password: string): Promise<'created' | 'updated' | 'unchanged'> {
      refuse(nameProblem(name));
      refuse(passwordProblem(password));
      const found = await users.find(name);
      if (found && (await verifyPassword(password, found.passwordHash)).ok) return 'unchanged';
      const hash = await hashPassword(password);
      if (found) return (await users.setPassword(name, hash)) ? 'updated' : 'unchanged';
      return (await users.insert(name, hash)) ? 'created' : 'unchanged';
    },
  };
}
