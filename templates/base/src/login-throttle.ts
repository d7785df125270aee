// Slows password guessing with express-rate-limit. Every login attempt is counted BEFORE the
// password is checked, in the session store, so parallel requests cannot race past the limit and
// every instance sees the same counts (src/store.ts says where they live). Two counts:
//   - per client address (an IPv4 address, or an IPv6 /64): PER_ADDRESS;
//   - per account name, from every address together: PER_ACCOUNT, so guessing one account from
//     many addresses is slowed too. It is higher than the per-address limit, so one address cannot
//     lock the owner out, and it ends with its window, so nobody can lock them out for long.
// Over a limit: 429 with Retry-After (the seconds until the window ends), even with the right
// password. Only a wrong name or password (401) keeps its count: a success gives its own count back,
// before it is answered, but does not clear earlier failures (anyone with an account could otherwise
// reset their count between guesses at other accounts). If the store cannot count, the answer is
// 503: a guess is never let through uncounted.
import { rateLimit } from 'express-rate-limit';
import type { IncrementResponse, Options, RateLimitInfo, Store } from 'express-rate-limit';
import type { NextFunction, Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { storeUnavailable } from './store-error.ts';

/** One count: at most `limit` failed logins per `windowMs`. */
interface Limit {
  limit: number;
  windowMs: number;
}

export const PER_ADDRESS: Limit = { limit: 10, windowMs: 15 * 60 * 1000 };
export const PER_ACCOUNT: Limit = { limit: 100, windowMs: 15 * 60 * 1000 };
/** Each count's keys in the store begin with its prefix. */
export const KEY_PREFIXES = { address: 'login:ip:', account: 'login:user:' };
/** A count the store has not answered within this is a store failure (503). */
const STORE_DEADLINE_MS = 5000;

// Who is counted: an IPv4 address, or an IPv6 /64. An IPv6 user gets a whole /64 (2^64 addresses)
// from the provider, so counting single IPv6 addresses would let a new address per guess dodge the
// limit. An IPv4 address written as IPv6 (::ffff:1.2.3.4, on a server listening on ::) is IPv4.
export function clientKey(ip: string | undefined): string {
  if (typeof ip !== 'string' || ip === '') return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1];
  const address = ip.split('%')[0]; // an interface suffix (fe80::1%eth0) is not part of the address
  if (!isIPv6(address)) return ip;
  const groups = (text: string): string[] =>
    text === '' ? [] : text.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g]));
  const [head, tail] = address.split('::');
  const full =
    tail === undefined
      ? groups(head)
      : [...groups(head), ...Array(8 - groups(head).length - groups(tail).length).fill('0'), ...groups(tail)];
  return `${full
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

// The account's key: a hash, so the store holds no account names and every key has the same length.
export function accountKey(username: string): string {
  return createHash('sha256').update(username).digest('base64url');
}

/**
 * The middlewares for POST /login, in order. `createStore(prefix)` makes one express-rate-limit
 * store (each limiter needs its own) on the session store: src/store.ts's rateLimitStore.
 */
export function createLoginThrottle(
  createStore: (prefix: string) => Store,
  { perAddress = PER_ADDRESS, perAccount = PER_ACCOUNT }: { perAddress?: Limit; perAccount?: Limit } = {},
) {
  const common: Partial<Options> = {
    handler: tooMany,
    standardHeaders: false, // no RateLimit-* headers on every login: the 429 carries Retry-After
    legacyHeaders: false,
    passOnStoreError: false, // a store failure stops the request (503); it never lets a guess through
    // clientKey counts IPv6 per /64 itself; the check would only see `req.ip` and warn
    validate: { keyGeneratorIpFallback: false },
  };
  const addressStore = guarded(createStore(KEY_PREFIXES.address));
  const accountStore = guarded(createStore(KEY_PREFIXES.account));
  return [
    giveBackUnlessFailed({ loginThrottleAddress: addressStore, loginThrottleAccount: accountStore }),
    rateLimit({
      ...common,
      ...perAddress,
      requestPropertyName: 'loginThrottleAddress',
      store: addressStore,
      keyGenerator: (req) => clientKey(req.ip),
    }),
    rateLimit({
      ...common,
      ...perAccount,
      requestPropertyName: 'loginThrottleAccount',
      store: accountStore,
      skip: (req) => typeof req.body?.username !== 'string', // no name: the per-address count still applies
      keyGenerator: (req) => accountKey(req.body.username),
    }),
  ];
}

// Any answer but 401 gives back the counts its request took (`stores`: each limiter's store, by its
// requestPropertyName), and is sent only once the store has them back. Not express-rate-limit's
// skipSuccessfulRequests: that gives the count back on the response's 'finish', after the client
// has its answer, so the client's next login could be counted before the give-back lands and get a
// 429 it should not (at the edge of the limit, on a server store). Holding res.end until the store
// has answered is what express-session does to save the session before the response goes out.
function giveBackUnlessFailed(stores: Record<string, Store>) {
  return (req: Request, res: Response, next: NextFunction) => {
    const end = res.end;
    res.end = ((...args: Parameters<Response['end']>) => {
      res.end = end;
      if (res.statusCode === 401) return end.apply(res, args); // a failure keeps its counts
      const counted = req as unknown as Record<string, RateLimitInfo | undefined>;
      const givenBack = Object.entries(stores).map(([property, store]) => giveBack(store, counted[property]));
      void Promise.all(givenBack).then(() => end.apply(res, args));
      return res;
    }) as Response['end'];
    next();
  };
}

// `info` is undefined when that limiter did not count the request (skipped, or stopped earlier). A
// count whose window has ended was reset by the store: nothing to give back. A store that cannot
// take it back (within its deadline) leaves the count higher, never lower; the answer goes out.
async function giveBack(store: Store, info: RateLimitInfo | undefined): Promise<void> {
  if (!info || (info.resetTime && Date.now() >= info.resetTime.getTime())) return;
  try {
    await store.decrement(info.key);
  } catch (err) {
    console.error('login throttle: a count was not given back:', (err as Error).cause ?? err);
  }
}

function tooMany(req: Request, res: Response, next: NextFunction, options: Options) {
  const { resetTime } = (req as unknown as Record<string, RateLimitInfo>)[options.requestPropertyName];
  const seconds = Math.ceil(((resetTime?.getTime() ?? Date.now() + options.windowMs) - Date.now()) / 1000);
  res.set('Retry-After', String(Math.max(1, seconds)));
  res.status(429).json({ error: 'too many failed logins, try again later' });
}

// The store's calls with a deadline, and their failures marked as the store's (503, not 500). A
// store whose init failed (rate-limit-redis loads its script there) tries it again before counting,
// instead of failing every count until a restart.
function guarded(store: Store): Store {
  let initOptions: Options | undefined;
  let ready: Promise<void> | undefined;
  const init = (options: Options) => {
    initOptions = options;
    ready = Promise.resolve(store.init?.(options));
    ready.catch(() => {
      ready = undefined;
    }); // failed: the next count tries again
    return ready;
  };
  const call = async <T>(method: 'increment' | 'decrement' | 'resetKey', key: string) => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the store did not count within ${STORE_DEADLINE_MS} ms`)),
        STORE_DEADLINE_MS,
      );
    });
    try {
      return await Promise.race([
        (ready ?? init(initOptions!)).then(() => store[method](key) as T | Promise<T>),
        deadline,
      ]);
    } catch (err) {
      throw storeUnavailable(err);
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    prefix: store.prefix,
    localKeys: store.localKeys,
    init,
    increment: (key) => call<IncrementResponse>('increment', key),
    decrement: (key) => call<void>('decrement', key),
    resetKey: (key) => call<void>('resetKey', key),
  };
}
