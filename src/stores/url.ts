// Server stores take a URL. These helpers check one at generation time and keep its password out of
// messages and of committed files; the generated src/config.js checks the URL again at start.

/**
 * Why `url` cannot point at a server of this kind, or undefined. `schemes` as `new URL().protocol`
 * gives them ("redis:"); `name` is the store's name for messages ("Redis").
 */
export function checkServerUrl(url: string, schemes: readonly string[], name: string): string | undefined {
  const expected = schemes.map((scheme) => `${scheme}//`).join(' or ');
  if (url.trim() === '') return 'the URL is empty';
  // Percent-encode these instead: they cannot be written into .env safely, and no URL needs them raw.
  if (/[\s"\\]/.test(url) || /\p{Cc}/u.test(url))
    return 'it contains a space, a quote, a backslash or a control character';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  if (scheme === undefined || !url.includes('://')) return `it is not a URL; ${name} takes ${expected}`;
  if (!schemes.includes(`${scheme.toLowerCase()}:`)) return `${name} takes ${expected}, not ${scheme}://`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'it is not a valid URL (is a special character in the password not percent-encoded?)';
  }
  if (parsed.hostname === '') return 'it names no host';
  return undefined;
}

// `redis://user:secret@host` → `redis://user:***@host`, parseable or not: the generated app's own
// src/store-url.js (templates/stores/_server/), so the CLI and the app mask a URL the same way.
export { redactUrl } from '../../templates/stores/_server/src/store-url.ts';

/** The URL without its password, for files that get committed; anything else unchanged. */
export function withoutPassword(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.password === '' && !/[?&]password=/i.test(url)) return url;
  parsed.password = '';
  parsed.searchParams.delete('password');
  return parsed.href;
}
