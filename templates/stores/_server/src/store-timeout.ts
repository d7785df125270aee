// A session store on another machine can be slow, down, or hang without closing the connection.
// Every call to it gets a deadline, so a request answers 503 "session store unavailable" instead of
// hanging; and at start the store must answer, or the app stops with one line saying where and why.
export const STORE_TIMEOUT_MS = 5000;

/**
 * What config.ts says of the session server: its variable, its URL, the URL with the password masked,
 * and passwords given beside the URL (Redis Sentinel's), masked in messages too.
 */
export interface ServerStoreConfig {
  store: { variable: string; url: string; redactedUrl: string; secrets?: readonly string[] };
}

/** The calls express-session makes that reach the server, callback last. */
type StoreCalls = Record<'get' | 'set' | 'touch' | 'destroy', (...args: unknown[]) => void>;
type Callback = (err: unknown, result?: unknown) => void;

/** An error as the database clients throw it: several at once (AggregateError), or one with a code. */
interface ErrorLike {
  errors?: unknown;
  message?: string;
  code?: string;
}

/** `promise`, or a rejection once `ms` have passed without an answer. */
export function withTimeout<T>(promise: Promise<T>, ms = STORE_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`the session store did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** At shutdown: waits for `closing` (last answers, connections closed), but not long; the process exits next. */
export function closeWithin(closing: Promise<unknown>, ms = 2000): Promise<unknown> {
  return withTimeout(closing, ms).catch(() => {});
}

/** Gives the calls express-session makes (get, set, touch, destroy) the same deadline, in place. */
export function withCallTimeouts<S extends object>(store: S, ms = STORE_TIMEOUT_MS): S {
  for (const method of ['get', 'set', 'touch', 'destroy'] as const) {
    const call = (store as unknown as StoreCalls)[method].bind(store);
    (store as unknown as StoreCalls)[method] = (...args) => {
      const callback = (typeof args.at(-1) === 'function' ? args.pop() : () => {}) as Callback;
      let answered = false;
      const answer = (err: unknown, result?: unknown) => {
        if (answered) return; // a late answer after the deadline is dropped
        answered = true;
        clearTimeout(timer);
        callback(err, result);
      };
      const timer = setTimeout(() => answer(new Error(`the session store did not answer within ${ms} ms`)), ms);
      try {
        call(...args, answer);
      } catch (err) {
        answer(err);
      }
    };
  }
  return store;
}

/**
 * Runs `open()` (connect, create the table) within the deadline. If it fails, `abandon()` lets go of
 * the half-open client and the error names the store, the reason and the variable to check:
 * "cannot reach the session store at redis://127.0.0.1:6379 (connect ECONNREFUSED 127.0.0.1:6379); check REDIS_URL".
 * The URL is shown with its password masked, and the password is removed from the reason too.
 */
export async function reachStore(
  config: ServerStoreConfig,
  open: () => Promise<unknown>,
  abandon: () => unknown,
): Promise<void> {
  try {
    await withTimeout(open());
  } catch (err) {
    Promise.resolve()
      .then(abandon)
      .catch(() => {}); // not awaited: letting go must not hang either
    const { variable, url, redactedUrl, secrets = [] } = config.store;
    const reason = hidePasswords(reasonOf(err as ErrorLike), url, secrets);
    throw new Error(`cannot reach the session store at ${redactedUrl} (${reason}); check ${variable}`, { cause: err });
  }
}

// Node reports a refused connection to a name with several addresses (localhost: ::1 and 127.0.0.1)
// as an AggregateError without a message; its first error says what happened.
function reasonOf(err: ErrorLike | null | undefined): string {
  if (Array.isArray(err?.errors) && err.errors.length > 0) return reasonOf(err.errors[0]);
  return String(err?.message || err?.code || err);
}

// `url` may be a comma-separated list (a Redis Cluster's nodes).
function hidePasswords(text: string, url: string, secrets: readonly string[]): string {
  const passwords = [...secrets];
  for (const each of url.split(',')) {
    try {
      passwords.push(decodeURIComponent(new URL(each.trim()).password));
    } catch {
      // config.ts has checked the URL already (a Sentinel's host:port list is no URL)
    }
  }
  return passwords.filter((p) => p !== '').reduce((masked, password) => masked.replaceAll(password, '***'), text);
}
