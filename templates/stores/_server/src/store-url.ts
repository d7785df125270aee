// "redis://user:secret@host" -> "redis://user:***@host", also when the URL does not parse: whatever
// lies between the user's ":" and the last "@" is masked, and so is a password= parameter.
// Messages that name the session server's URL end up in logs; create-secure-session-app masks the
// URLs it prints with this very function.
export function redactUrl(value: string): string {
  const at = value.lastIndexOf('@');
  const colon = value.indexOf(':', /^[a-z][a-z0-9+.-]*:\/\//i.exec(value)?.[0].length ?? 0);
  const masked = colon !== -1 && colon < at ? `${value.slice(0, colon + 1)}***${value.slice(at)}` : value;
  return masked.replace(/([?&]password=)[^&#]*/gi, '$1***');
}
