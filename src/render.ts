import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ejs from 'ejs';
import { escaperFor } from './escape.js';
import type { Plan } from './plan.js';
import { TEMPLATES_ROOT } from './templates.js';

export interface RenderedFile {
  path: string;
  content: Buffer;
  mode: number;
}

/** Turns the plan into file contents in memory; nothing touches the target yet. */
export async function renderPlan(plan: Plan, root = TEMPLATES_ROOT): Promise<RenderedFile[]> {
  return Promise.all(
    plan.files.map(async (file): Promise<RenderedFile> => {
      if (file.source.kind === 'text') return { path: file.path, content: Buffer.from(file.source.text), mode: file.mode };
      const templatePath = path.join(root, file.source.layer, file.source.file);
      const raw = await readFile(templatePath);
      if (!file.source.file.endsWith('.ejs')) return { path: file.path, content: raw, mode: file.mode };
      const text = ejs.render(raw.toString('utf8'), { ...plan.context }, {
        filename: templatePath,
        escape: escaperFor(file.path),
        async: false,
      });
      return { path: file.path, content: Buffer.from(text), mode: file.mode };
    }),
  );
}
