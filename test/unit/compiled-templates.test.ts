// The CLI renders the templates as the build compiled them (dist/compiled/), not as templates/ holds
// them: the build must be current, and its functions must render what EJS renders from the files,
// byte for byte, and fail with the message EJS gives.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import ejs from 'ejs';
import { allLayers, compileEjs, compileLayer } from '../../src/build/compile-templates.ts';
import {
  COMPILED_ROOT,
  compiledIndex,
  compiledModule,
  renderCompiled,
  type CompiledFunction,
} from '../../src/compiled-templates.ts';
import { escaperFor } from '../../src/escape.ts';
import { renderPlan } from '../../src/render.ts';
import { readTemplateIndex, TEMPLATES_ROOT } from '../../src/templates.ts';
import { plan } from '../helpers/plan.ts';

const STALE = 'dist/compiled is stale: npm run build:templates';
const tmp = mkdtempSync(join(tmpdir(), 'cssa-compiled-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('the compiled templates', async () => {
  const layers = await allLayers();

  it('list every layer as templates/ holds it', async () => {
    assert.deepEqual(compiledIndex(), await readTemplateIndex(layers), STALE);
  });

  for (const layer of layers) {
    it(`${layer}: both languages' modules are what the build makes of templates/ now`, async () => {
      const [files] = Object.values(await readTemplateIndex([layer]));
      for (const typescript of [true, false]) {
        const built = readFileSync(join(COMPILED_ROOT, compiledModule(layer, typescript)), 'utf8');
        assert.equal(built, await compileLayer(layer, files!, typescript), STALE);
      }
    });
  }

  // templates/ as another path, so renderPlan reads and compiles the files themselves, as EJS does.
  const asFiles = TEMPLATES_ROOT.replace(/\/$/, '');
  for (const overrides of [{}, { typescript: true }, { store: 'redis', proxy: 'caddy' }, { store: 'mysql' }]) {
    it(`render what EJS renders from the files: ${JSON.stringify(overrides)}`, async () => {
      const p = await plan(overrides);
      assert.deepEqual(await renderPlan(p), await renderPlan(p, asFiles));
    });
  }

  it('fail as EJS fails: the file, the line, the lines around it', () => {
    const file = join(tmp, 'broken.js.ejs');
    const text = "const a = 1;\nconst b = <%= 'b' %>;\nconst c = <%= missing %>;\nconst d = 4;\n";
    writeFileSync(file, text);
    const escape = escaperFor('broken.js');
    const ejsError = catchError(() => ejs.render(text, {}, { filename: file, escape, async: false }));
    const fn = new Function(`return ${compileEjs(text, file)}`)() as CompiledFunction;
    const ourError = catchError(() => renderCompiled(fn, {}, escape, file));
    assert.match(ourError.message, /missing is not defined/);
    assert.equal(ourError.message, ejsError.message);
    assert.equal((ourError as Error & { path: string }).path, (ejsError as Error & { path: string }).path);
  });
});

function catchError(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  assert.fail('it did not throw');
}
