import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ejs from 'ejs';
import { devEnvFile } from './env-file.js';
import { escaperFor } from './escape.js';
import { isTypeScriptPart, isTypeScriptTemplate, JS_TWINS_ROOT, javascriptTwinPath } from './js-twins.js';
import { partKeyFor, type Plan } from './plan.js';
import { TEMPLATES_ROOT } from './templates.js';

export interface RenderedFile {
  path: string;
  content: Buffer;
  mode: number;
}

/**
 * Turns the plan into file contents in memory; nothing touches the target yet. A TypeScript template
 * is read through its JavaScript twin (below `twinsRoot`, made by `npm run build`).
 */
export async function renderPlan(
  plan: Plan,
  root = TEMPLATES_ROOT,
  twinsRoot = JS_TWINS_ROOT,
): Promise<RenderedFile[]> {
  // The JavaScript app reads a TypeScript template (and its parts) through its twin.
  const twins = plan.typescript ? undefined : twinsRoot;
  const partTexts = await readParts(plan, root, twins);
  const rendered = new Map<string, string | Buffer>();
  // Templates and texts first: an env file is another file's rendered text, filled in.
  await Promise.all(
    plan.files.map(async (file) => {
      if (file.source.kind === 'text') rendered.set(file.path, file.source.text);
      if (file.source.kind !== 'template') return;
      const { layer, file: template } = file.source;
      const twin = twins !== undefined && isTypeScriptTemplate(template);
      const templatePath = twin
        ? path.join(twins, layer, javascriptTwinPath(template))
        : path.join(root, layer, template);
      const raw = await readFile(templatePath).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT' || !twin) throw error;
        throw new Error(`${templatePath} is missing: \`npm run build\` derives it from templates/${layer}/${template}`);
      });
      if (!template.endsWith('.ejs')) return void rendered.set(file.path, raw);
      const source = { text: raw.toString('utf8'), templatePath, template };
      rendered.set(file.path, renderEjs(source, file.path, plan, partTexts));
    }),
  );
  for (const file of plan.files) {
    if (file.source.kind !== 'env') continue;
    const example = rendered.get(file.source.from);
    if (example === undefined)
      throw new Error(`${file.path} is made from ${file.source.from}, which the plan does not have`);
    rendered.set(file.path, devEnvFile(example.toString(), file.source.values));
  }
  return plan.files.map((file) => {
    const content = rendered.get(file.path)!;
    return { path: file.path, content: Buffer.isBuffer(content) ? content : Buffer.from(content), mode: file.mode };
  });
}

type PartTexts = Map<string, { templatePath: string; text: string }>;

/** Each part's text; a part of a TypeScript template is read through its twin, as its template is. */
async function readParts(plan: Plan, root: string, twinsRoot: string | undefined): Promise<PartTexts> {
  const texts: PartTexts = new Map();
  for (const sources of Object.values(plan.parts)) {
    for (const { layer, file } of sources) {
      const twin = twinsRoot !== undefined && isTypeScriptPart(file);
      const templatePath = path.join(twin ? twinsRoot : root, layer, file);
      texts.set(`${layer}/${file}`, { templatePath, text: await readFile(templatePath, 'utf8') });
    }
  }
  return texts;
}

/**
 * Renders one template (`source.template`, its name in its layer) of the output file `outputPath`,
 * escaped for that file's language. Its `part(name)` prints partials/<template>/<name>.ejs: every
 * layer's but base's, in layer order, or base's (the default) when no other layer has one. A part base
 * does not declare is an error, so a mistyped name stops the generation instead of printing nothing.
 */
function renderEjs(
  source: { text: string; templatePath: string; template: string },
  outputPath: string,
  plan: Plan,
  partTexts: PartTexts,
): string {
  const part = (name: string): string => {
    const key = partKeyFor(source.template, name);
    const sources = plan.parts[key];
    if (!sources)
      throw new Error(
        `${source.templatePath}: there is no part ${JSON.stringify(name)} (templates/base/partials/${key}.ejs)`,
      );
    const own = sources.filter((partSource) => partSource.layer !== 'base');
    return (own.length > 0 ? own : sources)
      .map(({ layer, file }) => {
        const partial = partTexts.get(`${layer}/${file}`)!;
        return renderEjs({ ...partial, template: source.template }, outputPath, plan, partTexts);
      })
      .join('');
  };
  return ejs.render(
    source.text,
    { ...plan.context, part },
    { filename: source.templatePath, escape: escaperFor(outputPath), async: false },
  );
}
