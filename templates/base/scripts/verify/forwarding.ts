// Behind a proxy the app learns that a request came over HTTPS from X-Forwarded-Proto, which it believes
// only from the addresses TRUST_PROXY names. When it does not see HTTPS, GET /session is redirected to
// https:// (a loop in a browser) and login sends no session cookie (express-session silently drops a
// Secure cookie): the seed's bug. The same request sent again with X-Forwarded-Proto: https of our own
// tells the two causes apart: a proxy that sets the header replaces ours, so if the request now works,
// the proxy does not set it (and passes a client's on, so anyone can claim https).
import type { Context } from './checks.ts';
import { describeError, request } from './http.ts';
import type { Answer } from './http.ts';
import { fail } from './report.ts';
import type { Outcome } from './report.ts';

export const CLAIM_HTTPS = { 'x-forwarded-proto': 'https' };

export const isRedirect = (answer: Answer) => [301, 302, 307, 308].includes(answer.status);

/** GET /session over HTTPS was redirected (to https://, a loop in a browser): why the app did not see HTTPS. */
export function sessionRedirectCause(ctx: Context, answer: Answer): Promise<Outcome> {
  const seen =
    `GET /session over HTTPS is redirected to ${answer.headers.location} (a loop in a browser): ` +
    'the app does not see HTTPS';
  return forwardingCause(ctx, seen, async () => {
    const again = await request(ctx.target, { path: '/session', headers: CLAIM_HTTPS });
    return again.status === 200;
  });
}

/** Why the app did not see HTTPS: `seen` is the symptom, `worksClaimingHttps` sends it again with CLAIM_HTTPS. */
export async function forwardingCause(
  ctx: Context,
  seen: string,
  worksClaimingHttps: () => Promise<boolean>,
): Promise<Outcome> {
  const { fixes } = ctx.proxy;
  if (!ctx.proxy.behindProxy) return fail(`${seen}: the app does not see HTTPS`, fixes.forwardedProto);
  let works: boolean;
  try {
    works = await worksClaimingHttps();
  } catch (error) {
    return fail(`${seen}; sending it again failed: ${describeError(error as NodeJS.ErrnoException)}`, fixes.https);
  }
  return works
    ? fail(`${seen}; sent again with X-Forwarded-Proto: https of our own, it works`, fixes.forwardedProto)
    : fail(`${seen}, even when sent again with X-Forwarded-Proto: https of our own`, fixes.trustProxy);
}
