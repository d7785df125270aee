// `npm run build` runs this after the JavaScript twins: every layer's files for each language,
// compiled once here into dist/compiled/ (src/compiled-templates.ts reads them), so a generation
// neither reads nor compiles a template. Build code only: the CLI bundle never imports it.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ejs from 'ejs';
import { COMPILED_ROOT, compiledModule } from '../compiled-templates.ts';
import { isTypeScriptPart, isTypeScriptTemplate, JS_TWINS_ROOT, javascriptTwinPath } from '../js-twins.ts';
import { readTemplateIndex, TEMPLATES_ROOT } from '../templates.ts';

/** base, then every store's and every proxy's layer, as templates/ holds them. */
export async function allLayers(root = TEMPLATES_ROOT): Promise<string[]> {
  const kinds = await Promise.all(
    ['stores', 'proxies'].map(async (kind) =>
      (await readdir(path.join(root, kind))).sort().map((id) => `${kind}/${id}`),
    ),
  );
  return ['base', ...kinds.flat()];
}

/**
 * An EJS template as the function EJS itself makes of it (`compileDebug`: it counts lines), but
 * for the file's text, which render.ts reads only when the template throws.
 */
export function compileEjs(text: string, filename: string): string {
  const template = new ejs.Template(text, { filename, compileDebug: true, async: false });
  template.compile();
  return (
    'function (locals, escapeFn, include, rethrow) {\nlet __line = 1;\ntry {\n' +
    `${template.source}} catch (e) {\n  rethrow(e, __line);\n}\n}`
  );
}

/**
 * One layer's files for one language, as a CommonJS module's source: by name, the text of a file,
 * or an EJS template's function. The JavaScript app reads a TypeScript template as its twin.
 */
export async function compileLayer(
  layer: string,
  files: readonly string[],
  typescript: boolean,
  root = TEMPLATES_ROOT,
  twinsRoot = JS_TWINS_ROOT,
): Promise<string> {
  const entries = await Promise.all(
    files.map(async (file) => {
      const twin = !typescript && (isTypeScriptTemplate(file) || isTypeScriptPart(file));
      const name = twin ? javascriptTwinPath(file) : file;
      const filename = path.join(twin ? twinsRoot : root, layer, name);
      const raw = await readFile(filename);
      const text = raw.toString('utf8');
      if (!Buffer.from(text).equals(raw)) throw new Error(`${filename} is not UTF-8: a template must be text`);
      // In parentheses, V8 compiles a function with the module, so Node's compile cache keeps it too.
      const value = name.endsWith('.ejs') ? `(${compileEjs(text, filename)})` : JSON.stringify(text);
      return `${JSON.stringify(name)}: ${value},\n`;
    }),
  );
  const from = `templates/${layer}/${typescript ? '' : ' and its JavaScript twins'}`;
  return `// Made by \`npm run build\` from ${from}: do not edit.\nmodule.exports = {\n${entries.join('')}};\n`;
}

/** Writes dist/compiled/ anew: index.cjs, the file list of every layer, and each layer's two modules. */
export async function buildCompiledTemplates(root = TEMPLATES_ROOT, out = COMPILED_ROOT): Promise<number> {
  const layers = await allLayers(root);
  const index = await readTemplateIndex(layers, root);
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, 'index.cjs'), `module.exports = ${JSON.stringify(index, null, 1)};\n`);
  await Promise.all(
    layers.flatMap((layer) =>
      [true, false].map(async (typescript) => {
        const file = path.join(out, compiledModule(layer, typescript));
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, await compileLayer(layer, index[layer]!, typescript, root));
      }),
    ),
  );
  return layers.length;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const count = await buildCompiledTemplates();
  console.log(`${count} layers compiled into ${path.relative(process.cwd(), COMPILED_ROOT)}`);
}
