// The pure step: options in, the list of files to write out. No file system, no clock, no random.
import type { DevSecrets } from './env-file.js';
import { devEnvValues } from './env-file.js';
import type { ProjectOptions } from './options.js';
import { generatedPackageJson } from './package-json.js';
import { templateContext, type TemplateContext } from './template-context.js';
import type { ProjectTarget } from './project-name.js';

export type FileSource =
  | { kind: 'template'; layer: string; file: string }
  | { kind: 'text'; text: string }
  /** Another planned file's rendered text (`from`, e.g. .env.example) with these variables set. */
  | { kind: 'env'; from: string; values: Record<string, string> };

export interface PlannedFile {
  /** Path inside the project, with forward slashes. */
  path: string;
  source: FileSource;
  /** Unix permission bits; secrets are 0o600. */
  mode: number;
}

export interface Plan {
  target: ProjectTarget;
  context: TemplateContext;
  files: PlannedFile[];
}

/** Template files per layer, as `listTemplates` reads them: { "base": ["src/app.js.ejs", ...] }. */
export type TemplateIndex = Record<string, readonly string[]>;

export function layersFor(options: ProjectOptions): string[] {
  const { store, proxy } = options;
  // Every server store shares templates/stores/_server/ (call deadlines, the start-up check).
  const shared = store.kind === 'server' ? ['stores/_server'] : [];
  return ['base', ...shared, `stores/${store.id}`, `proxies/${proxy.id}`];
}

/** `x.ejs` renders to `x`; `_gitignore` becomes `.gitignore`, which npm would strip from our package. */
export function outputPath(templateFile: string): string {
  return templateFile.replace(/\.ejs$/, '').replace(/(^|\/)_gitignore$/, '$1.gitignore');
}

/** A layer's `partials/` are included by other templates (EJS `include`), never written themselves. */
function isPartial(templateFile: string): boolean {
  return templateFile.startsWith('partials/');
}

export function planProject(
  options: ProjectOptions,
  target: ProjectTarget,
  templates: TemplateIndex,
  secrets: DevSecrets,
): Plan {
  const byPath = new Map<string, PlannedFile>();
  for (const layer of layersFor(options)) {
    const files = templates[layer];
    if (!files) throw new Error(`templates/${layer} is missing`);
    // A later layer replaces a file of the same output path: stores and proxies override base.
    for (const file of files.filter((f) => !isPartial(f))) {
      byPath.set(outputPath(file), { path: outputPath(file), source: { kind: 'template', layer, file }, mode: 0o644 });
    }
  }
  const generated: PlannedFile[] = [
    { path: 'package.json', source: { kind: 'text', text: generatedPackageJson(target.packageName, options) }, mode: 0o644 },
    // .env is .env.example filled in, as the generated `npm run setup` fills it on a fresh clone.
    { path: '.env', source: { kind: 'env', from: '.env.example', values: devEnvValues(options, secrets) }, mode: 0o600 },
    // Files the chosen package manager reads its install-script decisions from (pnpm-workspace.yaml).
    ...options.pm.scriptSettings(options.store.installScripts).files.map(
      (file): PlannedFile => ({ path: file.path, source: { kind: 'text', text: file.text }, mode: 0o644 }),
    ),
  ];
  for (const file of generated) byPath.set(file.path, file);
  // Code-unit order, not the locale's, so the plan is the same on every machine.
  const files = [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { target, context: templateContext(options, target), files };
}
