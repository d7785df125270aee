import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledIndex } from './compiled-templates.js';
import type { TemplateIndex } from './plan.js';

// src/ in development and dist/ when bundled both sit one level below the package root.
export const TEMPLATES_ROOT = fileURLToPath(new URL('../templates/', import.meta.url));

/**
 * The files of each layer (relative paths with forward slashes): as the build listed them in
 * dist/compiled/, or as `root` holds them when it is not templates/ or nothing is built yet.
 */
export async function listTemplates(layers: readonly string[], root = TEMPLATES_ROOT): Promise<TemplateIndex> {
  const compiled = root === TEMPLATES_ROOT ? compiledIndex() : undefined;
  if (!compiled) return readTemplateIndex(layers, root);
  return Object.fromEntries(
    layers.map((layer) => {
      const files = compiled[layer];
      if (!files) throw new Error(`templates/${layer} is missing`);
      return [layer, files];
    }),
  );
}

/** Reads the files of each layer from `root`. */
export async function readTemplateIndex(layers: readonly string[], root = TEMPLATES_ROOT): Promise<TemplateIndex> {
  const index: Record<string, string[]> = {};
  for (const layer of layers) {
    const entries = await readdir(path.join(root, layer), { recursive: true, withFileTypes: true });
    index[layer] = entries
      .filter((entry) => entry.isFile())
      .map((entry) =>
        path.relative(path.join(root, layer), path.join(entry.parentPath, entry.name)).split(path.sep).join('/'),
      )
      .sort();
  }
  return index;
}
