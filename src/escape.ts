// How a user value is printed into each kind of generated file: templates print every value with
// `<%= %>`, and the output file's extension (or its name, for a Caddyfile) picks one of these, so
// no value can change the code around it. What cannot be encoded safely is refused, never passed through.
import path from 'node:path';
import { quote, UsageError } from './errors.js';

export type Escaper = (value: unknown) => string;

/**
 * A JavaScript literal as a person would write it: 'single-quoted' strings, numbers as numbers, with
 * separators from 10_000 on (1_800_000), arrays as [a, b]. The string escape keeps every character's
 * value and the code around it: backslash, quote, line breaks and other controls, U+2028/2029, lone
 * surrogates (UTF-8 cannot carry them), and `<` before `/` or `!--` (no `</script` or `<!--`).
 */
export const jsLiteral: Escaper = (value) => {
  if (value === null || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((item) => jsLiteral(item)).join(', ')}]`;
  if (typeof value === 'number') return jsNumber(value);
  if (typeof value !== 'string') throw new Error(`cannot write a ${typeof value} into JavaScript`);
  return `'${value.replace(JS_STRING_UNSAFE, escapeJsChar)}'`;
};

// What a single-quoted literal cannot hold as it is, or what should not stand raw in a source file.
const UNSAFE_CHAR = /[\\'\u0000-\u001f\u007f\u2028\u2029]/.source;
const MARKUP_OPENER = /<(?=\/|!--)/.source;
// A surrogate pair is one character, written as it is; half of one alone would not survive UTF-8.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.source;
const JS_STRING_UNSAFE = new RegExp(`${UNSAFE_CHAR}|${MARKUP_OPENER}|${LONE_SURROGATE}`, 'g');
const JS_STRING_ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const escapeJsChar = (c: string) => JS_STRING_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

function jsNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`cannot write ${value} into JavaScript`);
  const text = String(value);
  // Integers only: 1e21 and 0.00001 print in exponent form, where separators do not belong.
  if (!/^-?\d{5,}$/.test(text)) return text;
  return text.replace(/\B(?=(\d{3})+$)/g, '_');
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const htmlText: Escaper = (value) => String(value).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);

/** Markdown prose: HTML is neutralised and Markdown punctuation is taken literally. */
export const markdownText: Escaper = (value) =>
  htmlText(String(value).replace(/[\r\n]+/g, ' ')).replace(/[\\`*_{}[\]()#+!|~]/g, '\\$&');

/** nginx/Caddy config: only plain tokens, which need no quoting. */
export const configToken: Escaper = (value) => {
  const text = String(value);
  if (!/^[A-Za-z0-9._:/-]+$/.test(text))
    throw new UsageError(`Cannot write ${quote(text)} into a proxy config: use letters, digits and . _ : / - only.`);
  return text;
};

/** A .gitignore line: plain path characters only, so a value is always a literal path, never a pattern or a comment. */
export const gitignorePath: Escaper = (value) => {
  const text = String(value);
  if (!/^[A-Za-z0-9._/-]+$/.test(text))
    throw new UsageError(`Cannot write ${quote(text)} into .gitignore: use letters, digits and . _ / - only.`);
  return text;
};

/** A value in a .env file as Node's --env-file reads it. */
export const envValue: Escaper = (value) => {
  const text = String(value);
  if (/^[A-Za-z0-9._:/@,+=-]*$/.test(text)) return text;
  if (/["\\\r\n]/.test(text))
    throw new UsageError(
      `Cannot write ${quote(text)} into a .env file: leave out quotes, backslashes and line breaks.`,
    );
  return `"${text}"`;
};

const BY_EXTENSION: Record<string, Escaper> = {
  '.js': jsLiteral,
  '.ts': jsLiteral,
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
  // `web: <command>`: a plain token cannot start another process type or a shell construct.
  Procfile: configToken,
};

export function escaperFor(outputPath: string): Escaper {
  const name = path.posix.basename(outputPath);
  const escaper = Object.hasOwn(BY_NAME, name) ? BY_NAME[name] : BY_EXTENSION[path.posix.extname(name)];
  if (!escaper) throw new Error(`no escaping is defined for ${outputPath}; add one to src/escape.ts`);
  return escaper;
}
