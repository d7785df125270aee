// The generated app's source templates are TypeScript: `x.ts`, or `x.ts.ejs` when they hold EJS tags.
// The JavaScript app gets each one's JavaScript twin, which `npm run build` derives into
// dist/templates-js/<layer>/ (src/build/js-twin.ts says how); the CLI never strips types itself.
import { fileURLToPath } from 'node:url';

// src/ in development and dist/ when bundled both sit one level below the package root.
export const JS_TWINS_ROOT = fileURLToPath(new URL('../dist/templates-js/', import.meta.url));

/** Whether a template is TypeScript source, read through its JavaScript twin for a JavaScript app. */
export function isTypeScriptTemplate(templateFile: string): boolean {
  return /\.ts(\.ejs)?$/.test(templateFile);
}

/** The twin's path below JS_TWINS_ROOT/<layer>/: `src/x.ts` → `src/x.js`, `src/x.ts.ejs` → `src/x.js.ejs`. */
export function javascriptTwinPath(templateFile: string): string {
  return templateFile.replace(/\.ts(\.ejs)?$/, '.js$1');
}
