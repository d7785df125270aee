import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ejs from 'ejs';
import { devEnvFile } from './env-file.js';
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
  const rendered = new Map<string, string | Buffer>();
  // Templates and texts first: an env file is another file's rendered text, filled in.
  await Promise.all(
    plan.files.map(async (file) => {
      if (file.source.kind === 'text') rendered.set(file.path, file.source.text);
      if (file.source.kind !== 'template') return;
      const templatePath = path.join(root, file.source.layer, file.source.file);
      const raw = await readFile(templatePath);
      if (!file.source.file.endsWith('.ejs')) return void rendered.set(file.path, raw);
      const text = ejs.render(raw.toString('utf8'), { ...plan.context }, {
        filename: templatePath,
        escape: escaperFor(file.path),
        async: false,
      });
      rendered.set(file.path, text);
    }),
  );
  for (const file of plan.files) {
    if (file.source.kind !== 'env') continue;
    const example = rendered.get(file.source.from);
    if (example === undefined) throw new Error(`${file.path} is made from ${file.source.from}, which the plan does not have`);
    rendered.set(file.path, devEnvFile(example.toString(), file.source.values));
  }
  return plan.files.map((file) => {
    const content = rendered.get(file.path)!;
    return { path: file.path, content: Buffer.isBuffer(content) ? content : Buffer.from(content), mode: file.mode };
  });
}
