// The generated app's source templates are TypeScript: `x.ts`, or `x.ts.ejs` when they hold EJS tags,
// with their parts in partials/x.ts/.
// The JavaScript app gets each one's JavaScript twin, which `npm run build` derives into
// dist/templates-js/<layer>/ (src/build/js-twin.ts says how); the CLI never strips types itself.
import { fileURLToPath } from 'node:url';

// src/ in development and dist/ when bundled both sit one level below the package root.
export const JS_TWINS_ROOT = fileURLToPath(new URL('../dist/templates-js/', import.meta.url));

/** Whether a template is TypeScript source, read through its JavaScript twin for a JavaScript app. */
export function isTypeScriptTemplate(templateFile: string): boolean {
  return /\.ts(\.ejs)?$/.test(templateFile);
}

/**
 * Whether a template is a part of a TypeScript template (`partials/src/config.ts/<part>.ejs`): a part
 * is keyed by its host's name, the same for both languages, and its twin keeps the part's path.
 */
export function isTypeScriptPart(templateFile: string): boolean {
  return /^partials\/.+\.ts\/[^/]+\.ejs$/.test(templateFile);
}

/** The twin's path below JS_TWINS_ROOT/<layer>/: `src/x.ts` → `src/x.js`, `src/x.ts.ejs` → `src/x.js.ejs`. */
export function javascriptTwinPath(templateFile: string): string {
  if (isTypeScriptPart(templateFile)) return templateFile;
  return templateFile.replace(/\.ts(\.ejs)?$/, '.js$1');
}
