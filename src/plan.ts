// The pure step: options in, the list of files to write out. No file system, no clock, no random.
import type { DevSecrets } from './env-file.js';
import { devEnvValues } from './env-file.js';
import type { ProjectOptions, ResolvedOptions } from './options.js';
import { javascriptTwinPath } from './js-twins.js';
import { generatedPackageJson, generatedTsconfig, managerSettings } from './package-json.js';
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

/** One layer's file for a part: templates/<layer>/<file>. */
export interface PartSource {
  layer: string;
  file: string;
}

export interface Plan {
  target: ProjectTarget;
  context: TemplateContext;
  /** The app's language: a TypeScript template is written as it is, or as its JavaScript twin. */
  typescript: boolean;
  files: PlannedFile[];
  /**
   * The parts the templates print with `part(name)`, by key ("README.md/intro"): base's file, then
   * the other layers' in layer order. Base declares every part; render.ts says how they combine.
   */
  parts: Record<string, PartSource[]>;
}

/** Template files per layer, as `listTemplates` reads them: { "base": ["src/app.ts.ejs", ...] }. */
export type TemplateIndex = Record<string, readonly string[]>;

export function layersFor(options: ProjectOptions): string[] {
  const { store, proxy } = options;
  // Every server store shares templates/stores/_server/ (call deadlines, the start-up check, its URL),
  // and every setup with a proxy in front that terminates TLS shares templates/proxies/_tls-proxy/
  // (the redirect of plain HTTP to PUBLIC_HOST).
  const server = store.kind === 'server' ? ['stores/_server'] : [];
  const tlsProxy = proxy.servesHttps ? [] : ['proxies/_tls-proxy'];
  return ['base', ...server, `stores/${store.id}`, ...tlsProxy, `proxies/${proxy.id}`];
}

/**
 * `x.ejs` renders to `x`; `_gitignore` becomes `.gitignore`, which npm would strip from our package;
 * a TypeScript template (`x.ts`, `x.ts.ejs`) gives the JavaScript app `x.js`, from its JavaScript twin,
 * and the TypeScript app `x.ts`.
 */
export function outputPath(templateFile: string, typescript = false): string {
  return (typescript ? templateFile : javascriptTwinPath(templateFile))
    .replace(/\.ejs$/, '')
    .replace(/(^|\/)_gitignore$/, '$1.gitignore');
}

/**
 * A layer's `partials/` hold parts of other templates, never written themselves: `partials/<name>/<part>.ejs`
 * is the part `<part>` of the template `<name>.ejs`, without a leading dot or underscore (`README.md`,
 * `env.example`, `gitignore`, `src/config.ts`): the template's name, the same for both languages.
 * Returns the part's key ("README.md/intro"), or undefined for a file that is not a part.
 */
export function partKey(templateFile: string): string | undefined {
  return /^partials\/(.+\/[^/]+)\.ejs$/.exec(templateFile)?.[1];
}

/** The key of part `name` of the template `templateFile`: ("src/config.ts.ejs", "checks") → "src/config.ts/checks". */
export function partKeyFor(templateFile: string, name: string): string {
  return `${templateFile.replace(/\.ejs$/, '').replace(/(^|\/)[._]([^/]*)$/, '$1$2')}/${name}`;
}

/**
 * The parts of these layers. Base declares each part (its file, often only a comment, is the default);
 * a part another layer fills that base does not declare is a mistyped name, refused here.
 */
export function partsOf(layers: readonly string[], templates: TemplateIndex): Record<string, PartSource[]> {
  const parts: Record<string, PartSource[]> = {};
  for (const layer of layers) {
    for (const file of templates[layer] ?? []) {
      if (!file.startsWith('partials/')) continue;
      const key = partKey(file);
      if (key === undefined)
        throw new Error(`templates/${layer}/${file} is no part: parts are partials/<file>/<part>.ejs`);
      if (layer !== 'base' && !parts[key]) {
        throw new Error(
          `templates/${layer}/${file} fills a part that templates/base/partials/ does not declare (${key}.ejs)`,
        );
      }
      (parts[key] ??= []).push({ layer, file });
    }
  }
  return parts;
}

export function planProject(
  options: ResolvedOptions,
  target: ProjectTarget,
  templates: TemplateIndex,
  secrets: DevSecrets,
): Plan {
  const layers = layersFor(options);
  const byPath = new Map<string, PlannedFile>();
  for (const layer of layers) {
    const files = templates[layer];
    if (!files) throw new Error(`templates/${layer} is missing`);
    // A later layer replaces a file of the same output path: stores and proxies override base.
    for (const file of files.filter((f) => !f.startsWith('partials/'))) {
      const path = outputPath(file, options.typescript);
      byPath.set(path, { path, source: { kind: 'template', layer, file }, mode: 0o644 });
    }
  }
  const generated: PlannedFile[] = [
    {
      path: 'package.json',
      source: { kind: 'text', text: generatedPackageJson(target.packageName, options) },
      mode: 0o644,
    },
    // .env is .env.example filled in, as the generated `npm run setup` fills it on a fresh clone.
    {
      path: '.env',
      source: { kind: 'env', from: '.env.example', values: devEnvValues(options, secrets) },
      mode: 0o600,
    },
    ...(options.typescript
      ? [{ path: 'tsconfig.json', source: { kind: 'text', text: generatedTsconfig() }, mode: 0o644 } as const]
      : []),
    // Files the chosen package manager reads its install-script decisions and overrides from (pnpm-workspace.yaml).
    ...managerSettings(options).files.map((file): PlannedFile => ({
      path: file.path,
      source: { kind: 'text', text: file.text },
      mode: 0o644,
    })),
  ];
  for (const file of generated) byPath.set(file.path, file);
  // Code-unit order, not the locale's, so the plan is the same on every machine.
  const files = [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const context = templateContext(options, target);
  return { target, context, typescript: options.typescript, files, parts: partsOf(layers, templates) };
}
