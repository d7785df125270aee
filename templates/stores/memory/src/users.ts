// The accounts: a Map in this process, for development only, like the memory session store. They
// vanish on restart and no other process sees them, so the user:* scripts cannot reach them: in
// development, .env's DEMO_USER and DEMO_PASSWORD give the account at every start.
import type { UserRow, UserStore } from './accounts.ts';

export const TABLE = null;

// server.ts hands every store the config; memory needs nothing from it.
export function createUserStore(config?: unknown): Promise<UserStore>;
export async function createUserStore(): Promise<UserStore> {
  const users = new Map<string, UserRow>(); // name -> { name, passwordHash, version }
  const copy = (user: UserRow | undefined) => (user ? { ...user } : null);
  return {
    find: async (name) => copy(users.get(name)),
    insert: async (name, passwordHash) => {
      if (users.has(name)) return false;
      users.set(name, { name, passwordHash, version: 1 });
      return true;
    },
    setPassword: async (name, passwordHash) => {
      const user = users.get(name);
      if (!user) return false;
      users.set(name, { name, passwordHash, version: user.version + 1 });
      return true;
    },
    upgradeHash: async (name, oldHash, newHash) => {
      const user = users.get(name);
      if (user?.passwordHash === oldHash) users.set(name, { ...user, passwordHash: newHash });
    },
    remove: async (name) => users.delete(name),
    list: async () => [...users.keys()].sort(),
    close: async () => users.clear(),
    inProcess: true, // the scripts refuse this store: they would only change their own copy
  };
}
