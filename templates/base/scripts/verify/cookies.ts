// What a __Host- cookie must carry: browsers accept the prefix only with Secure, Path=/ and no Domain,
// so a subdomain or a plain-HTTP page cannot plant or overwrite it; HttpOnly keeps it from page scripts.
import type { SetCookie } from './http.ts';

/** What is wrong with a production cookie, in words; [] when nothing is. */
export function cookieProblems(cookie: SetCookie, sameSite: 'lax' | 'strict'): string[] {
  const { attributes } = cookie;
  const problems: string[] = [];
  if (!cookie.name.startsWith('__Host-')) problems.push('no __Host- prefix');
  if (!attributes.has('secure')) problems.push('no Secure');
  if (!attributes.has('httponly')) problems.push('no HttpOnly');
  const given = attributes.get('samesite');
  if (given?.toLowerCase() !== sameSite) problems.push(`SameSite=${given ?? '(none)'}, not ${sameSite}`);
  if (attributes.get('path') !== '/') problems.push(`Path=${attributes.get('path') ?? '(none)'}, not /`);
  if (attributes.has('domain')) problems.push(`Domain=${attributes.get('domain')}`);
  return problems;
}
