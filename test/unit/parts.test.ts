// Parts: a base template prints `part(name)`, and each layer fills it with partials/<template>/<name>.ejs.
// A kind's code lives in its own layer, so base templates never ask which store or proxy they serve.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { partKey, partKeyFor, partsOf, planProject, type TemplateIndex } from '../../src/plan.ts';
import { renderPlan } from '../../src/render.ts';
import { listTemplates, TEMPLATES_ROOT } from '../../src/templates.ts';
import { optionsWith, secrets, target } from '../helpers/plan.ts';

const LAYERS = ['base', 'stores/sqlite', 'proxies/_tls-proxy', 'proxies/nginx'];
const root = mkdtempSync(join(tmpdir(), 'cssa-parts-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Writes a templates/ tree of these files ({ "base/README.md.ejs": "..." }) and renders README.md from it. */
async function renderReadme(files: Record<string, string>): Promise<string> {
  const dir = mkdtempSync(join(root, 't-'));
  for (const layer of LAYERS) mkdirSync(join(dir, layer), { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const plan = planProject(optionsWith(), target, await listTemplates(LAYERS, dir), secrets);
  const rendered = await renderPlan({ ...plan, files: plan.files.filter((file) => file.path === 'README.md') }, dir);
  return rendered[0]!.content.toString('utf8');
}

describe('parts', () => {
  it(
    'prints every layer but base in layer order, or base ' + 'as the default when no other layer fills the part',
    async () => {
      const readme = await renderReadme({
        'base/README.md.ejs': "<%- part('rows') -%>\n<%- part('start') -%>\n",
        'base/partials/README.md/rows.ejs': '<%# declared, empty by default _%>\n',
        'base/partials/README.md/start.ejs': 'default start\n',
        'stores/sqlite/partials/README.md/rows.ejs': 'store row\n',
        'proxies/nginx/partials/README.md/rows.ejs': 'proxy row <%= port %>\n',
      });
      assert.equal(readme, 'store row\nproxy row 3000\ndefault start\n');
    },
  );

  it('a mistyped part name stops the generation, naming the part', async () => {
    await assert.rejects(
      renderReadme({ 'base/README.md.ejs': "<%- part('intor') -%>\n", 'base/partials/README.md/intro.ejs': 'intro\n' }),
      /no part "intor" \(templates\/base\/partials\/README\.md\/intor\.ejs\)/,
    );
  });

  it('a layer filling a part base does not declare is refused when planning', () => {
    const templates: TemplateIndex = {
      base: ['partials/README.md/intro.ejs'],
      'stores/sqlite': ['partials/README.md/intor.ejs'],
    };
    assert.throws(
      () => partsOf(['base', 'stores/sqlite'], templates),
      /stores\/sqlite\/partials\/README\.md\/intor\.ejs fills a part that templates\/base\/partials\/ does not declare/,
    );
    assert.throws(() => partsOf(['base'], { base: ['partials/README.md.ejs'] }), /is no part/);
  });

  it(
    'every part a layer fills is declared by base, and ' + 'every part base declares is printed by a base template',
    async () => {
      const layers = [
        'base',
        ...['stores', 'proxies'].flatMap((kind) =>
          readdirSync(join(TEMPLATES_ROOT, kind)).map((id) => `${kind}/${id}`),
        ),
      ];
      const templates = await listTemplates(layers);
      const parts = partsOf(layers, templates); // throws on an undeclared part
      const used = new Set<string>();
      for (const file of templates.base!) {
        if (!file.endsWith('.ejs') || file.startsWith('partials/')) continue;
        for (const [, name] of readFileSync(join(TEMPLATES_ROOT, 'base', file), 'utf8').matchAll(/part\('([^']+)'\)/g))
          used.add(partKeyFor(file, name!));
      }
      assert.deepEqual([...used].sort(), Object.keys(parts).sort());
    },
  );

  it("keys a part by its template's name, the same for the JavaScript and the TypeScript app", () => {
    assert.equal(partKey('partials/src/config.ts/store-functions.ejs'), 'src/config.ts/store-functions');
    assert.equal(partKeyFor('src/config.ts.ejs', 'store-functions'), 'src/config.ts/store-functions');
    assert.equal(partKeyFor('README.md.ejs', 'intro'), 'README.md/intro');
    assert.equal(partKeyFor('_gitignore.ejs', 'store'), 'gitignore/store');
    assert.equal(partKeyFor('.env.example.ejs', 'store'), 'env.example/store');
  });

  it('base templates never ask which store or proxy they serve: that code lives in the layers', () => {
    const base = join(TEMPLATES_ROOT, 'base');
    const files = readdirSync(base, { recursive: true, withFileTypes: true }).filter(
      (entry) => entry.isFile() && entry.name.endsWith('.ejs'),
    );
    for (const entry of files) {
      const text = readFileSync(join(entry.parentPath, entry.name), 'utf8');
      assert.doesNotMatch(
        text,
        /\b(store|proxy)\.(kind|id|servesHttps|sendsHsts|partials|urlEnv)\b/,
        join(entry.parentPath, entry.name),
      );
    }
  });
});
