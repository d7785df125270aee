// Planning and rendering a project in memory from the real templates, for the unit tests: options as
// the CLI would resolve them, fixed secrets and target, and a `node --check` of the rendered JavaScript.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OptionKey, Raw } from '../../src/options.ts';
import { layersFor, planProject, type Plan } from '../../src/plan.ts';
import { renderPlan } from '../../src/render.ts';
import { resolveOptions } from '../../src/resolve-options.ts';
import { listTemplates } from '../../src/templates.ts';

export const secrets = { sessionSecret: 's'.repeat(64), demoPassword: 'p'.repeat(16) };
export const target = { dir: '/work/my-app', packageName: 'my-app' };

/** The options the CLI resolves from these answers, every other option at its default (npm as the package manager). */
export function optionsWith(overrides: Partial<Record<OptionKey, Raw>> = {}) {
  return resolveOptions({ pm: 'npm', ...overrides }).options;
}

/** The plan for these options over the real templates. */
export async function plan(overrides: Partial<Record<OptionKey, Raw>>): Promise<Plan> {
  const options = optionsWith(overrides);
  return planProject(options, target, await listTemplates(layersFor(options)), secrets);
}

/** Every rendered file of that plan: path -> text. */
export async function render(overrides: Partial<Record<OptionKey, Raw>>): Promise<Map<string, string>> {
  const files = await renderPlan(await plan(overrides));
  return new Map(files.map((file) => [file.path, file.content.toString('utf8')]));
}

/** Each rendered .js file passes `node --check` (as an ES module); `label` starts each failure message. */
export function assertJavaScriptParses(files: Map<string, string>, label: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'cssa-check-'));
  try {
    for (const [path, text] of files) {
      if (!path.endsWith('.js')) continue;
      const file = join(dir, path.replaceAll('/', '__').replace(/\.js$/, '.mjs'));
      writeFileSync(file, text);
      const result = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
      assert.equal(result.status, 0, `${label}: ${path} does not parse:\n${result.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
