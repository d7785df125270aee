// Password hashing: scrypt from node:crypto (memory-hard, no native addon), always asynchronous, so
// a login runs on libuv's thread pool and never blocks the event loop. A hash is one self-describing
// string in the PHC format, algorithm, parameters, salt and hash together:
//
//   $scrypt$ln=17,r=8,p=1$<salt>$<hash>        (salt and hash in base64 without padding)
//
// so the parameters can be raised later: old hashes still verify, and are replaced with a hash of the
// current parameters at the user's next successful login (see accounts.ts).
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt's cost parameters: N = 2^ln, block size r, parallelism p. */
export interface ScryptParams {
  ln: number;
  r: number;
  p: number;
}

// OWASP Password Storage Cheat Sheet: scrypt with N = 2^17 (ln=17), r = 8, p = 1 at least. Each hash
// takes 128 MiB of memory for a moment (128 * N * r bytes); raise ln to make guessing dearer still.
export const SCRYPT_PARAMS: Readonly<ScryptParams> = Object.freeze({ ln: 17, r: 8, p: 1 });
const SALT_BYTES = 16;
const HASH_BYTES = 32;
// What a stored hash may ask for: a hash string changed in the database must not make one login
// take minutes or gigabytes.
const LIMITS: Record<keyof ScryptParams, [number, number]> = Object.freeze({ ln: [14, 22], r: [1, 32], p: [1, 16] });

// NIST SP 800-63B rev. 4: at least 15 characters when the password is the only factor; no other
// composition rules. An upper bound keeps a request from making the server hash megabytes.
export const MIN_PASSWORD_LENGTH = 15;
export const MAX_PASSWORD_LENGTH = 1024;
export const PASSWORD_RULE =
  `a password needs at least ${MIN_PASSWORD_LENGTH} characters (NIST SP 800-63B rev. ` +
  `4, for a password that is the only factor) and at most ${MAX_PASSWORD_LENGTH}`;

// NIST asks for Unicode normalisation, so the same password typed on another keyboard still matches.
const normalise = (password: string) => password.normalize('NFKC');

/** Why `password` cannot be a new password (the rule, never the password), or undefined. */
export function passwordProblem(password: unknown): string | undefined {
  if (typeof password !== 'string') return PASSWORD_RULE;
  const length = [...normalise(password)].length; // characters, not UTF-16 code units
  return length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH ? PASSWORD_RULE : undefined;
}

/** The hash string of `password`, with a fresh random salt. */
export async function hashPassword(password: string, params: ScryptParams = SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(normalise(password), salt, params);
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${base64(salt)}$${base64(hash)}`;
}

/**
 * Whether `password` matches the hash string `stored`: { ok, outdated }. outdated: it matched, but
 * was made with weaker parameters than SCRYPT_PARAMS, so it should be hashed again now. A stored
 * string that is not a hash we can check never matches (and never throws).
 */
export async function verifyPassword(password: unknown, stored: unknown): Promise<{ ok: boolean; outdated: boolean }> {
  const parsed = parseHash(stored);
  if (!parsed || typeof password !== 'string' || password.length > 4 * MAX_PASSWORD_LENGTH) {
    return { ok: false, outdated: false };
  }
  const hash = await derive(normalise(password), parsed.salt, parsed.params);
  const ok = hash.length === parsed.hash.length && timingSafeEqual(hash, parsed.hash);
  const { ln, r, p } = parsed.params;
  const outdated = ok && (ln < SCRYPT_PARAMS.ln || r < SCRYPT_PARAMS.r || p < SCRYPT_PARAMS.p);
  return { ok, outdated };
}

/** { params: { ln, r, p }, salt, hash } from a hash string, or null if it is not one we accept. */
export function parseHash(stored: unknown): { params: ScryptParams; salt: Buffer; hash: Buffer } | null {
  const match =
    typeof stored === 'string' &&
    /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{16,})\$([A-Za-z0-9+/]{32,})$/.exec(stored);
  if (!match) return null;
  const params: ScryptParams = { ln: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  const inRange = Object.entries(LIMITS).every(
    ([key, [min, max]]) => params[key as keyof ScryptParams] >= min && params[key as keyof ScryptParams] <= max,
  );
  if (!inRange) return null;
  return { params, salt: Buffer.from(match[4], 'base64'), hash: Buffer.from(match[5], 'base64') };
}

// A hash of a random password nobody knows, made once with the current parameters: an unknown user
// name is checked against it, so it costs the same time as a wrong password (no user enumeration).
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(32).toString('base64url'));
  return dummy;
}

function derive(password: string, salt: Buffer, { ln, r, p }: ScryptParams): Promise<Buffer> {
  const N = 2 ** ln;
  // Node refuses more than 32 MiB by default; allow what these parameters need, with room to spare.
  const maxmem = 2 * 128 * N * r * p;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, HASH_BYTES, { N, r, p, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

const base64 = (buffer: Buffer) => buffer.toString('base64').replace(/=+$/, '');
