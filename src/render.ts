import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { compiledIndex, compiledLayer, renderCompiled, type CompiledLayer } from './compiled-templates.js';
import { devEnvFile } from './env-file.js';
import { escaperFor, type Escaper } from './escape.js';
import { isTypeScriptPart, isTypeScriptTemplate, JS_TWINS_ROOT, javascriptTwinPath } from './js-twins.js';
import { partKeyFor, type Plan } from './plan.js';
import { TEMPLATES_ROOT } from './templates.js';

export interface RenderedFile {
  path: string;
  content: Buffer;
  mode: number;
}

/** An EJS template, ready to render with these locals, each value printed through `escape`. */
type Render = (data: Record<string, unknown>, escape: Escaper) => string;

/** One template file: templates/<layer>/<name>, or its twin; `templatePath` names it in messages. */
interface TemplateFile {
  layer: string;
  name: string;
  templatePath: string;
  twin: boolean;
}

/** A file's bytes, or an EJS template's render. */
type Read = (file: TemplateFile) => Promise<Buffer | Render>;

/**
 * Turns the plan into file contents in memory; nothing touches the target yet. A TypeScript template
 * is read through its JavaScript twin (below `twinsRoot`, made by `npm run build`). The templates
 * come compiled from the build (dist/compiled/), or from `root` when it is not templates/ (tests).
 */
export async function renderPlan(
  plan: Plan,
  root = TEMPLATES_ROOT,
  twinsRoot = JS_TWINS_ROOT,
): Promise<RenderedFile[]> {
  const read =
    root === TEMPLATES_ROOT && twinsRoot === JS_TWINS_ROOT && compiledIndex() ? fromBuild(plan) : fromFiles();
  // The JavaScript app reads a TypeScript template (and its parts) through its twin.
  const twins = plan.typescript ? undefined : twinsRoot;
  const at = (layer: string, name: string, twin: boolean): TemplateFile => ({
    layer,
    name,
    twin,
    templatePath: path.join(twin ? twinsRoot : root, layer, name),
  });
  const parts = await readParts(plan, read, (layer, file) =>
    at(layer, file, twins !== undefined && isTypeScriptPart(file)),
  );
  const rendered = new Map<string, string | Buffer>();
  // Templates and texts first: an env file is another file's rendered text, filled in.
  await Promise.all(
    plan.files.map(async (file) => {
      if (file.source.kind === 'text') rendered.set(file.path, file.source.text);
      if (file.source.kind !== 'template') return;
      const { layer, file: template } = file.source;
      const twin = twins !== undefined && isTypeScriptTemplate(template);
      const source = at(layer, twin ? javascriptTwinPath(template) : template, twin);
      const content = await read(source);
      if (Buffer.isBuffer(content)) return void rendered.set(file.path, content);
      rendered.set(file.path, renderEjs({ ...source, render: content, template }, file.path, plan, parts));
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

/** The templates as the build compiled them: this language's module of each layer, loaded once. */
function fromBuild(plan: Plan): Read {
  const layers = new Map<string, CompiledLayer>();
  return async ({ layer, name, templatePath }) => {
    if (!layers.has(layer)) layers.set(layer, compiledLayer(layer, plan.typescript));
    const compiled = layers.get(layer)![name];
    if (compiled === undefined) throw new Error(`${templatePath} is not in dist/compiled: run \`npm run build\``);
    if (typeof compiled === 'string') return Buffer.from(compiled);
    return (data, escape) => renderCompiled(compiled, data, escape, templatePath);
  };
}

/** The templates as files, compiled by EJS as they are rendered. */
function fromFiles(): Read {
  const ejs = import('ejs').then((module) => module.default);
  return async ({ layer, name, templatePath, twin }) => {
    const raw = await readFile(templatePath).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT' || !twin) throw error;
      throw new Error(`${templatePath} is missing: \`npm run build\` derives it from templates/${layer}/${name}`);
    });
    if (!name.endsWith('.ejs')) return raw;
    const { render } = await ejs;
    const text = raw.toString('utf8');
    return (data, escape) => render(text, data, { filename: templatePath, escape, async: false });
  };
}

type Parts = Map<string, { templatePath: string; render: Render }>;

/** Each part's render; a part of a TypeScript template is read through its twin, as its template is. */
async function readParts(plan: Plan, read: Read, at: (layer: string, file: string) => TemplateFile): Promise<Parts> {
  const parts: Parts = new Map();
  for (const sources of Object.values(plan.parts)) {
    for (const { layer, file } of sources) {
      const source = at(layer, file);
      const render = await read(source);
      if (Buffer.isBuffer(render)) throw new Error(`${source.templatePath}: a part must be an EJS template (.ejs)`);
      parts.set(`${layer}/${file}`, { templatePath: source.templatePath, render });
    }
  }
  return parts;
}

/**
 * Renders one template (`source.template`, its name in its layer) of the output file `outputPath`,
 * escaped for that file's language. Its `part(name)` prints partials/<template>/<name>.ejs: every
 * layer's but base's, in layer order, or base's (the default) when no other layer has one. A part base
 * does not declare is an error, so a mistyped name stops the generation instead of printing nothing.
 */
function renderEjs(
  source: { render: Render; templatePath: string; template: string },
  outputPath: string,
  plan: Plan,
  parts: Parts,
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
        const partial = parts.get(`${layer}/${file}`)!;
        return renderEjs({ ...partial, template: source.template }, outputPath, plan, parts);
      })
      .join('');
  };
  return source.render({ ...plan.context, part }, escaperFor(outputPath));
}
