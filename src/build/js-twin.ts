// One source for both languages: the generated app's source templates are TypeScript, and the
// JavaScript app gets each one's JavaScript twin, derived at build time (never by hand, never at
// generation time) in six steps:
//   1. every EJS tag becomes a placeholder that is valid where it stands: a tag alone on its line
//      becomes the line comment `// __ejsN__`, any other tag an identifier `__ejsN__` (padded to the
//      tag's length, so Prettier wraps the line as it would with the tag);
//   2. amaro, Node's own type stripper, blanks the types out: the JavaScript is made from exactly what
//      Node runs for the TypeScript app, and anything but erasable TypeScript is refused;
//   3. the lines left without code are dropped, with the comments directly above them (the comment of
//      a removed interface or type-only import would otherwise describe the next statement), but
//      never the file's opening comment;
//   4. relative `.ts` import specifiers become `.js`, and so do the names of the app's own files in
//      comments (`see src/store.ts`), and only those: `ownFiles`, the app paths the templates write;
//   5. Prettier (the project's .prettierrc.json) formats it, so no trace of the stripping is left;
//   6. the EJS tags are put back, each exactly once, or the build fails.
// The result reads like hand-written JavaScript: for a formatted file without types, it is the file itself.
import { parse, type Comment } from 'acorn';
import { transformSync } from 'amaro';
import * as prettier from 'prettier';

/**
 * The JavaScript twin of a TypeScript template's text; `file` names it in errors and finds the Prettier
 * config. `ownFiles`: the app's own TypeScript files ("src/store.ts"), whose names comments may use.
 */
export async function javascriptTwin(source: string, file: string, ownFiles: readonly string[] = []): Promise<string> {
  const { text, tags } = hideEjsTags(source, file);
  const stripped = transformSync(text, { mode: 'strip-only', filename: file }).code;
  if (/\bimport\s*\{\s*\}\s*from/.test(stripped))
    throw new Error(
      `${file}: an import of types only must say \`import type\`, or its JavaScript keeps an empty import`,
    );
  const pruned = dropTypeOnlyLines(text, stripped, file);
  const js = jsNamesInComments(jsSpecifiers(pruned, file), file, ownFiles);
  const options = (await prettier.resolveConfig(file)) ?? {};
  const formatted = await prettier.format(js, { ...options, filepath: file.replace(/\.ts(\.ejs)?$/, '.js') });
  return restoreEjsTags(formatted, tags, file);
}

/**
 * The JavaScript twin of a partial of a TypeScript template: a fragment (object fields, statements)
 * strips and formats only where it stands, so it is put in place of its host's `part(name)` line between
 * two markers, the host is derived as a whole, and what comes back between the markers is the twin.
 */
export async function javascriptPartTwin(
  host: SourceFile,
  name: string,
  part: SourceFile,
  ownFiles: readonly string[] = [],
): Promise<string> {
  const call = `<%- part('${name}') -%>`;
  const lines = host.text.split('\n');
  const at = lines.flatMap((line, i) => (line.trim() === call ? [i] : []));
  if (at.length !== 1)
    throw new Error(`${host.file}: prints ${call} on a line of its own ${at.length} times, not once`);
  if (!part.text.endsWith('\n')) throw new Error(`${part.file}: a part ends with a line break`);
  const [start, end] = ['<%# part start %>', '<%# part end %>'];
  lines.splice(at[0]!, 1, start, ...part.text.split('\n').slice(0, -1), end);
  const twin = await javascriptTwin(lines.join('\n'), host.file, ownFiles).catch((error: Error) => {
    throw new Error(`${part.file}, in its host: ${error.message}`, { cause: error });
  });
  const twinLines = twin.split('\n');
  return twinLines
    .slice(twinLines.indexOf(start) + 1, twinLines.indexOf(end))
    .map((line) => `${line}\n`)
    .join('');
}

export interface SourceFile {
  text: string;
  /** Its path, for errors and (a host's) for the Prettier config. */
  file: string;
}

interface HiddenTag {
  placeholder: string;
  /** What the placeholder stands for: the tag, or the whole line of a tag alone on its line. */
  original: string;
  ownLine: boolean;
}

const TAG = /<%[\s\S]*?%>/g;

/** Step 1: each EJS tag replaced by a placeholder that parses where the tag stands. */
export function hideEjsTags(source: string, file: string): { text: string; tags: HiddenTag[] } {
  if (source.includes('__ejs')) throw new Error(`${file}: "__ejs" is reserved for the EJS placeholders`);
  if (source.includes('<%%')) throw new Error(`${file}: a literal "<%%" is not supported in TypeScript templates`);
  const tags: HiddenTag[] = [];
  const lines = source.split('\n').map((line) => {
    const found = line.match(TAG) ?? [];
    if (line.replace(TAG, '').includes('<%')) throw new Error(`${file}: an EJS tag spans lines: ${line.trim()}`);
    if (found.length === 1 && line.trim() === found[0]) {
      const placeholder = `// __ejs${tags.length}__`;
      tags.push({ placeholder, original: line, ownLine: true });
      return placeholder;
    }
    return line.replace(TAG, (tag) => {
      const placeholder = `__ejs${tags.length}__`.padEnd(tag.length, '_');
      tags.push({ placeholder, original: tag, ownLine: false });
      return placeholder;
    });
  });
  return { text: lines.join('\n'), tags };
}

/** Step 6: every placeholder back to its tag; each must be there exactly once. */
export function restoreEjsTags(text: string, tags: readonly HiddenTag[], file: string): string {
  let result = text;
  for (const { placeholder, original, ownLine } of tags) {
    const pattern = ownLine
      ? new RegExp(`^[ \\t]*${escapeRegExp(placeholder)}$`, 'gm')
      : new RegExp(`${escapeRegExp(placeholder)}(?![0-9])`, 'g');
    const count = result.match(pattern)?.length ?? 0;
    if (count !== 1) throw new Error(`${file}: the EJS tag ${original.trim()} came back ${count} times, not once`);
    result = result.replace(pattern, () => original);
  }
  return result;
}

/**
 * Step 3: drops each line that held code before stripping and holds none after, and the comment lines
 * directly above such lines, but never the file's opening comment: that one speaks of the whole file,
 * and stays right above the code that follows (no blank line left where type-only imports were).
 * amaro keeps every line where it was, so line i of `stripped` is line i of `source`.
 */
function dropTypeOnlyLines(source: string, stripped: string, file: string): string {
  const before = source.split('\n');
  const after = stripped.split('\n');
  if (before.length !== after.length) throw new Error(`${file}: stripping the types moved lines`);
  const commentOnly = commentOnlyLines(stripped, file);
  const blank = (i: number) => after[i] !== undefined && after[i].trim() === '';
  const typeOnly = (i: number) => after[i] !== before[i] && (blank(i) || commentOnly.has(i));
  const keptComment = (i: number) => commentOnly.has(i) && after[i] === before[i] && !isPlaceholder(after[i]!);
  const drop = new Set<number>();
  for (let i = 0; i < after.length; i++) {
    if (!typeOnly(i) || typeOnly(i - 1)) continue; // i starts a run of type-only lines
    let end = i;
    while (typeOnly(end + 1)) end++;
    for (let j = i; j <= end; j++) drop.add(j);
    let above = i - 1;
    while (keptComment(above)) above--;
    const opening = after.slice(0, above + 1).every((line) => line.trim() === '');
    if (!opening) for (let j = above + 1; j < i; j++) drop.add(j);
    else if (above + 1 < i && blank(end + 1)) drop.add(end + 1);
  }
  return after.filter((_, i) => !drop.has(i)).join('\n');
}

const isPlaceholder = (line: string) => /^\s*\/\/ __ejs\d+__$/.test(line);

/** The numbers of the lines that hold comments and nothing else. */
function commentOnlyLines(code: string, file: string): Set<number> {
  const comments: Comment[] = [];
  parseModule(code, file, comments);
  const lineStarts = [0, ...[...code.matchAll(/\n/g)].map((match) => match.index + 1)];
  const lines = new Set<number>();
  lineStarts.forEach((start, i) => {
    const end = lineStarts[i + 1] ?? code.length + 1;
    const line = code.slice(start, end - 1);
    if (line.trim() === '') return;
    // Blank out the comments that touch this line: what is left must be whitespace.
    let rest = line;
    for (const comment of comments) {
      if (comment.end <= start || comment.start >= end) continue;
      const from = Math.max(comment.start, start) - start;
      const to = Math.min(comment.end, end - 1) - start;
      rest = rest.slice(0, from) + ' '.repeat(to - from) + rest.slice(to);
    }
    if (rest.trim() === '') lines.add(i);
  });
  return lines;
}

/** Step 4: `./x.ts` → `./x.js` in every import and export of the module. */
function jsSpecifiers(code: string, file: string): string {
  const sources = parseModule(code, file).body.flatMap((node) =>
    (node.type === 'ImportDeclaration' || node.type.startsWith('Export')) && 'source' in node && node.source
      ? [node.source]
      : [],
  );
  let result = code;
  for (const source of sources.reverse()) {
    const value = String(source.value);
    if (!/^\.\.?\//.test(value) || !value.endsWith('.ts')) continue;
    const quote = code[source.start]!;
    result = result.slice(0, source.start) + quote + value.replace(/\.ts$/, '.js') + quote + result.slice(source.end);
  }
  return result;
}

/** A file name in a comment: a path ending in .ts, not part of a longer path, a URL or a word. */
const TS_NAME = /(?<![\w./-])((?:[\w-]+\/)*[\w.-]+\.)ts\b(?![\w/-])/g;

/**
 * Step 4, in comments: a name of one of the app's own files (`src/store.ts`, or the end of such a path:
 * `store.ts`, `routes/session.ts`) becomes its twin's `.js`. Other names are left as they are.
 * Same length, so every offset holds.
 */
export function jsNamesInComments(code: string, file: string, ownFiles: readonly string[]): string {
  const own = (name: string) => ownFiles.some((path) => path === name || path.endsWith(`/${name}`));
  const comments: Comment[] = [];
  parseModule(code, file, comments);
  let result = code;
  for (const { start, end } of comments) {
    const text = code.slice(start, end).replace(TS_NAME, (name, stem: string) => (own(name) ? `${stem}js` : name));
    result = result.slice(0, start) + text + result.slice(end);
  }
  return result;
}

function parseModule(code: string, file: string, onComment?: Comment[]) {
  try {
    return parse(code, { ecmaVersion: 'latest', sourceType: 'module', ...(onComment && { onComment }) });
  } catch (error) {
    throw new Error(`${file}: the stripped code does not parse (${(error as Error).message}):\n${code}`, {
      cause: error,
    });
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
