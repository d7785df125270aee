// The templates as `npm run build` compiles them (src/build/compile-templates.ts): each layer's files
// for one language in dist/compiled/<layer>.<ts|js>.cjs, an EJS template as its function, any other
// file as its text; and the file list of every layer in dist/compiled/index.cjs. A generation reads
// these few modules instead of reading and compiling every template: most of its time went there.
// They are CommonJS because EJS's functions use `with`, which an ES module (strict code) cannot hold.
import { readFileSync } from 'node:fs';
import { createRequire as requireFrom } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { TemplateIndex } from './plan.js';

// src/ in development and dist/ when bundled both sit one level below the package root.
export const COMPILED_ROOT = fileURLToPath(new URL('../dist/compiled/', import.meta.url));

type Escape = (value: unknown) => string;

/** A template's function, as EJS made it; `rethrow` gets an error and the line it came from. */
export type CompiledFunction = (
  locals: Record<string, unknown>,
  escapeFn: Escape,
  include: undefined,
  rethrow: (error: Error, line: number) => never,
) => string;

/** A layer's files for one language, by their name in their root (templates/<layer>/ or its twins'). */
export type CompiledLayer = Readonly<Record<string, string | CompiledFunction>>;

const load = requireFrom(import.meta.url);

export const compiledModule = (layer: string, typescript: boolean) => `${layer}.${typescript ? 'ts' : 'js'}.cjs`;

/** The file lists of every layer, or undefined before the first build (then templates/ is read). */
export function compiledIndex(root = COMPILED_ROOT): TemplateIndex | undefined {
  try {
    return load(`${root}index.cjs`) as TemplateIndex;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

export function compiledLayer(layer: string, typescript: boolean, root = COMPILED_ROOT): CompiledLayer {
  return load(`${root}${compiledModule(layer, typescript)}`) as CompiledLayer;
}

/**
 * Renders as `ejs.render(text, data, { filename: templatePath, escape })` would: the same locals (a
 * copy without a prototype) and, when the template throws, the same message, naming the file and
 * showing the lines around the one that threw. Only then is the template's text read.
 */
export function renderCompiled(
  fn: CompiledFunction,
  data: Record<string, unknown>,
  escape: Escape,
  templatePath: string,
): string {
  const locals: Record<string, unknown> = Object.create(null);
  for (const key in data) {
    if (Object.hasOwn(data, key) && key !== '__proto__' && key !== 'constructor') locals[key] = data[key];
  }
  return fn(locals, escape, undefined, (error, line) => {
    const lines = readFileSync(templatePath, 'utf8').split('\n');
    const start = Math.max(line - 3, 0);
    const end = Math.min(lines.length, line + 3);
    const context = lines
      .slice(start, end)
      .map((text, i) => `${i + start + 1 === line ? ' >> ' : '    '}${i + start + 1}| ${text}`)
      .join('\n');
    const filename = escape(templatePath);
    Object.assign(error, { path: filename });
    error.message = `${filename || 'ejs'}:${line}\n${context}\n\n${error.message}`;
    throw error;
  });
}
