// `npm run build` runs this before esbuild: the JavaScript twin of every TypeScript template
// (templates/<layer>/src/x.ts → dist/templates-js/<layer>/src/x.js), as src/build/js-twin.ts derives
// it. Build code only: the CLI bundle never imports it, and so never carries amaro or Prettier.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isTypeScriptTemplate, JS_TWINS_ROOT, javascriptTwinPath } from '../js-twins.ts';
import { TEMPLATES_ROOT } from '../templates.ts';
import { javascriptTwin } from './js-twin.ts';

/** Every TypeScript template below `root`, as a path relative to it with forward slashes. */
export async function typeScriptTemplates(root = TEMPLATES_ROOT): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && isTypeScriptTemplate(entry.name))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** Writes the twins anew (a template removed since the last build leaves no stale twin behind). */
export async function buildJavaScriptTwins(root = TEMPLATES_ROOT, out = JS_TWINS_ROOT): Promise<number> {
  const files = await typeScriptTemplates(root);
  await rm(out, { recursive: true, force: true });
  await Promise.all(
    files.map(async (file) => {
      const twin = path.join(out, javascriptTwinPath(file));
      await mkdir(path.dirname(twin), { recursive: true });
      await writeFile(twin, await javascriptTwin(await readFile(path.join(root, file), 'utf8'), path.join(root, file)));
    }),
  );
  return files.length;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const count = await buildJavaScriptTwins();
  console.log(`${count} JavaScript twins in ${path.relative(process.cwd(), JS_TWINS_ROOT)}`);
}
