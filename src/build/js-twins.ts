// `npm run build` runs this before esbuild: the JavaScript twin of every TypeScript template
// (templates/<layer>/src/x.ts → dist/templates-js/<layer>/src/x.js), as src/build/js-twin.ts derives
// it. Build code only: the CLI bundle never imports it, and so never carries amaro or Prettier.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isTypeScriptPart, isTypeScriptTemplate, JS_TWINS_ROOT, javascriptTwinPath } from '../js-twins.ts';
import { TEMPLATES_ROOT } from '../templates.ts';
import { javascriptPartTwin, javascriptTwin } from './js-twin.ts';

/**
 * Every TypeScript template below `root` and every part of one (`<layer>/partials/src/x.ts/<part>.ejs`),
 * as a path relative to it with forward slashes.
 */
export async function typeScriptTemplates(root = TEMPLATES_ROOT): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((file) => isTypeScriptTemplate(file) || isTypeScriptPart(inLayer(file)))
    .sort();
}

/** A template's path inside its layer: `stores/redis/partials/…` → `partials/…`. */
const inLayer = (file: string) => file.replace(/^(base|(stores|proxies)\/[^/]+)\//, '');

/** The app's own TypeScript files, as the templates write them ("src/store.ts"), from any layer. */
export async function ownTypeScriptFiles(root = TEMPLATES_ROOT): Promise<string[]> {
  const templates = (await typeScriptTemplates(root)).map(inLayer).filter((file) => !isTypeScriptPart(file));
  return [...new Set(templates.map((file) => file.replace(/\.ejs$/, '')))].sort();
}

/**
 * A twin of one template, or of a part (made in the base template that prints it). `ownFiles`: the names
 * its comments may use (ownTypeScriptFiles), found anew when not given.
 */
export async function twinOf(file: string, root = TEMPLATES_ROOT, ownFiles?: readonly string[]): Promise<string> {
  const names = ownFiles ?? (await ownTypeScriptFiles(root));
  const read = async (name: string) => ({
    text: await readFile(path.join(root, name), 'utf8'),
    file: path.join(root, name),
  });
  const own = inLayer(file);
  if (!isTypeScriptPart(own)) return javascriptTwin((await read(file)).text, path.join(root, file), names);
  const [, key, name] = /^partials\/(.+)\/([^/]+)\.ejs$/.exec(own)!;
  return javascriptPartTwin(await read(`base/${key}.ejs`), name!, await read(file), names);
}

/** Writes the twins anew (a template removed since the last build leaves no stale twin behind). */
export async function buildJavaScriptTwins(root = TEMPLATES_ROOT, out = JS_TWINS_ROOT): Promise<number> {
  const files = await typeScriptTemplates(root);
  const ownFiles = await ownTypeScriptFiles(root);
  await rm(out, { recursive: true, force: true });
  await Promise.all(
    files.map(async (file) => {
      const twin = path.join(out, javascriptTwinPath(file));
      await mkdir(path.dirname(twin), { recursive: true });
      await writeFile(twin, await twinOf(file, root, ownFiles));
    }),
  );
  return files.length;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const count = await buildJavaScriptTwins();
  console.log(`${count} JavaScript twins in ${path.relative(process.cwd(), JS_TWINS_ROOT)}`);
}
