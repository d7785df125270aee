import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TemplateIndex } from './plan.js';

// src/ in development and dist/ when bundled both sit one level below the package root.
export const TEMPLATES_ROOT = fileURLToPath(new URL('../templates/', import.meta.url));

/** Reads the files of each layer (relative paths with forward slashes). */
export async function listTemplates(layers: readonly string[], root = TEMPLATES_ROOT): Promise<TemplateIndex> {
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
