// How a user value is printed into each kind of generated file: templates print every value with
// `<%= %>`, and the output file's extension (or its name, for a Caddyfile) picks one of these, so
// no value can change the code around it. What cannot be encoded safely is refused, never passed through.
import path from 'node:path';
import { quote, UsageError } from './errors.js';

export type Escaper = (value: unknown) => string;

/** A JavaScript literal, like express-generator's `escape: util.inspect`. */
export const jsLiteral: Escaper = (value) => {
  if (value === null || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((item) => jsLiteral(item)).join(', ')}]`;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} into JavaScript`);
    return String(value);
  }
  if (typeof value !== 'string') throw new Error(`cannot write a ${typeof value} into JavaScript`);
  // JSON is JavaScript except for U+2028/U+2029 in old engines; escape them and "</script" anyway.
  return JSON.stringify(value)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
    .replace(/</g, '\\u003c');
};

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const htmlText: Escaper = (value) => String(value).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);

/** Markdown prose: HTML is neutralised and Markdown punctuation is taken literally. */
export const markdownText: Escaper = (value) =>
  htmlText(String(value).replace(/[\r\n]+/g, ' ')).replace(/[\\`*_{}[\]()#+!|~]/g, '\\$&');

/** nginx/Caddy config: only plain tokens, which need no quoting. */
export const configToken: Escaper = (value) => {
  const text = String(value);
  if (!/^[A-Za-z0-9._:/-]+$/.test(text)) throw new UsageError(`Cannot write ${quote(text)} into a proxy config: use letters, digits and . _ : / - only.`);
  return text;
};

/** A .gitignore line: plain path characters only, so a value is always a literal path, never a pattern or a comment. */
export const gitignorePath: Escaper = (value) => {
  const text = String(value);
  if (!/^[A-Za-z0-9._/-]+$/.test(text)) throw new UsageError(`Cannot write ${quote(text)} into .gitignore: use letters, digits and . _ / - only.`);
  return text;
};

/** A value in a .env file as Node's --env-file reads it. */
export const envValue: Escaper = (value) => {
  const text = String(value);
  if (/^[A-Za-z0-9._:/@,+=-]*$/.test(text)) return text;
  if (/["\\\r\n]/.test(text)) throw new UsageError(`Cannot write ${quote(text)} into a .env file: leave out quotes, backslashes and line breaks.`);
  return `"${text}"`;
};

const BY_EXTENSION: Record<string, Escaper> = {
  '.js': jsLiteral,
  '.html': htmlText,
  '.md': markdownText,
  '.conf': configToken,
  '.example': envValue,
};

/** Files without an extension, by their name. */
const BY_NAME: Record<string, Escaper> = {
  // Caddyfile tokens are split by whitespace; quotes, `{…}` (blocks and placeholders), `#` and `\`
  // are its syntax, and a plain token has none of them.
  Caddyfile: configToken,
  '.gitignore': gitignorePath,
};

export function escaperFor(outputPath: string): Escaper {
  const name = path.posix.basename(outputPath);
  const escaper = Object.hasOwn(BY_NAME, name) ? BY_NAME[name] : BY_EXTENSION[path.posix.extname(name)];
  if (!escaper) throw new Error(`no escaping is defined for ${outputPath}; add one to src/escape.ts`);
  return escaper;
}
