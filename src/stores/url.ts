// Server stores take a URL. These helpers check one at generation time and keep its password out of
// messages and of committed files; the generated src/config.js applies the same rules at start.

/**
 * Why `url` cannot point at a server of this kind, or undefined. `schemes` as `new URL().protocol`
 * gives them ("redis:"); `name` is the store's name for messages ("Redis").
 */
export function checkServerUrl(url: string, schemes: readonly string[], name: string): string | undefined {
  const expected = schemes.map((scheme) => `${scheme}//`).join(' or ');
  if (url.trim() === '') return 'the URL is empty';
  // Percent-encode these instead: they cannot be written into .env safely, and no URL needs them raw.
  if (/[\s"\\]/.test(url) || /\p{Cc}/u.test(url)) return 'it contains a space, a quote, a backslash or a control character';
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

/**
 * `redis://user:secret@host` → `redis://user:***@host`, also when the URL does not parse: whatever
 * lies between the user's ":" and the last "@" is masked, and so is a password= parameter.
 * The generated src/config.js has the same function.
 */
export function redactUrl(url: string): string {
  const at = url.lastIndexOf('@');
  const colon = url.indexOf(':', /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0].length ?? 0);
  const masked = colon !== -1 && colon < at ? `${url.slice(0, colon + 1)}***${url.slice(at)}` : url;
  return masked.replace(/([?&]password=)[^&#]*/gi, '$1***');
}

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
