import { quote, UsageError } from './errors.js';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const UNIT_WORD = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week' } as const;
type Unit = keyof typeof UNIT_MS;

// A cookie's Expires must stay a valid date and browsers cap lifetimes at 400 days (RFC 6265bis).
const MAX_DURATION_MS = 400 * UNIT_MS.d;

export interface Duration {
  /** As the user wrote it, normalised: "30m". */
  text: string;
  ms: number;
  /** In words: "30 minutes". */
  words: string;
}

/** Parses "90s", "30m", "12h", "7d", "2w": a positive whole number and one unit. */
export function parseDuration(input: string, flag: string): Duration {
  const match = /^([1-9][0-9]{0,5})(s|m|h|d|w)$/.exec(input.trim());
  if (!match) {
    throw new UsageError(
      `Invalid ${flag} ${quote(input)}: use a whole number and a unit s, m, h, d or w, such as 30m or 12h.`,
    );
  }
  const amount = Number(match[1]);
  const unit = match[2] as Unit;
  const ms = amount * UNIT_MS[unit];
  if (ms > MAX_DURATION_MS) {
    throw new UsageError(`Invalid ${flag} ${quote(input)}: at most 400d, the longest lifetime browsers keep a cookie.`);
  }
  const words = `${amount} ${UNIT_WORD[unit]}${amount === 1 ? '' : 's'}`;
  return { text: `${amount}${unit}`, ms, words };
}
