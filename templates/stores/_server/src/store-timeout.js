// A session store on another machine can be slow, down, or hang without closing the connection.
// Every call to it gets a deadline, so a request answers 503 "session store unavailable" instead of
// hanging; and at start the store must answer, or the app stops with one line saying where and why.
export const STORE_TIMEOUT_MS = 5000;

/** `promise`, or a rejection once `ms` have passed without an answer. */
export function withTimeout(promise, ms = STORE_TIMEOUT_MS) {
  let timer;
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`the session store did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** At shutdown: waits for `closing` (last answers, connections closed), but not long; the process exits next. */
export function closeWithin(closing, ms = 2000) {
  return withTimeout(closing, ms).catch(() => {});
}

/** Gives the calls express-session makes (get, set, touch, destroy) the same deadline, in place. */
export function withCallTimeouts(store, ms = STORE_TIMEOUT_MS) {
  for (const method of ['get', 'set', 'touch', 'destroy']) {
    const call = store[method].bind(store);
    store[method] = (...args) => {
      const callback = typeof args.at(-1) === 'function' ? args.pop() : () => {};
      let answered = false;
      const answer = (err, result) => {
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
export async function reachStore(config, open, abandon) {
  try {
    await withTimeout(open());
  } catch (err) {
    Promise.resolve()
      .then(abandon)
      .catch(() => {}); // not awaited: letting go must not hang either
    const { variable, url, redactedUrl } = config.store;
    const reason = hidePassword(reasonOf(err), url);
    throw new Error(`cannot reach the session store at ${redactedUrl} (${reason}); check ${variable}`, { cause: err });
  }
}

// Node reports a refused connection to a name with several addresses (localhost: ::1 and 127.0.0.1)
// as an AggregateError without a message; its first error says what happened.
function reasonOf(err) {
  if (Array.isArray(err?.errors) && err.errors.length > 0) return reasonOf(err.errors[0]);
  return String(err?.message || err?.code || err);
}

function hidePassword(text, url) {
  let password = '';
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    // config.js has checked the URL already
  }
  return password === '' ? text : text.replaceAll(password, '***');
}
