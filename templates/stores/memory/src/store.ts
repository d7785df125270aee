// The session store: memory, for development only. Sessions vanish on restart and are not
// shared between instances, so production refuses it unless ALLOW_MEMORY_STORE=1.
import { MemoryStore as RateLimitMemoryStore } from 'express-rate-limit';
import type { Store } from 'express-rate-limit';
import createMemoryStore from 'memorystore';
import session from 'express-session';

const MemoryStore = createMemoryStore(session);

/** What server.ts gets from the session store. */
interface SessionStoreSetup {
  store: session.Store;
  ping: () => Promise<void>;
  rateLimitStore: (prefix: string) => Store;
  close: () => Promise<void>;
}

// server.ts hands every store the config; memory needs nothing from it.
export function createSessionStore(config?: unknown): Promise<SessionStoreSetup>;
export async function createSessionStore(): Promise<SessionStoreSetup> {
  // checkPeriod: prune expired sessions every 15 minutes, so memory does not grow forever
  // (unlike express-session's built-in MemoryStore, which leaks).
  const store = new MemoryStore({ checkPeriod: 15 * 60 * 1000 });
  return {
    store,
    ping: async () => {}, // in-process: always reachable
    // the login throttle's counts, in this process too (src/login-throttle.ts)
    rateLimitStore: () => new RateLimitMemoryStore(),
    close: async () => store.stopInterval(),
  };
}
