// The one source for both languages: every TypeScript template's JavaScript twin (src/build/js-twin.ts)
// is plain, finished JavaScript, and the build output the CLI reads is that twin; the strip step
// itself is shown on the inputs that are easy to get wrong.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'acorn';
import * as prettier from 'prettier';
import { hideEjsTags, javascriptPartTwin, javascriptTwin } from '../../src/build/js-twin.ts';
import { ownTypeScriptFiles, twinOf, typeScriptTemplates } from '../../src/build/js-twins.ts';
import { JS_TWINS_ROOT, javascriptTwinPath } from '../../src/js-twins.ts';
import { TEMPLATES_ROOT } from '../../src/templates.ts';

const TAG = /<%[\s\S]*?%>/g;

describe('the JavaScript twin of every TypeScript template', async () => {
  const templates = await typeScriptTemplates();

  it('covers the app modules of base, the stores and the proxies', () => {
    const some = [
      'base/src/server.ts',
      'base/src/config.ts.ejs',
      'base/scripts/users.ts',
      'stores/sqlite/src/users.ts',
    ];
    for (const file of [...some, 'proxies/none/partials/src/config.ts/proxy-functions.ejs'])
      assert.ok(templates.includes(file), `${file} in ${templates.join(', ')}`);
  });

  for (const file of templates.filter((name) => !name.includes('/partials/'))) {
    it(`${file}: parses, imports .js, is Prettier-stable, keeps its EJS tags, is what the build wrote`, async () => {
      const path = join(TEMPLATES_ROOT, file);
      const source = await readFile(path, 'utf8');
      const twin = await twinOf(file);
      const { text } = hideEjsTags(twin, path); // the twin of an .ts.ejs holds EJS tags again
      parse(text, { ecmaVersion: 'latest', sourceType: 'module' });
      assert.doesNotMatch(twin, /(from|import)\s*\(?\s*['"][^'"]+\.ts['"]/, 'a .ts specifier is left');
      const twinName = join(TEMPLATES_ROOT, javascriptTwinPath(file).replace(/\.ejs$/, ''));
      const formatted = await prettier.format(text, {
        ...(await prettier.resolveConfig(twinName)),
        filepath: twinName,
      });
      // A tag alone on its line comes back as it was written, unindented; Prettier indents its placeholder.
      assert.equal(formatted.replace(/^[ \t]+(\/\/ __ejs\d+__)$/gm, '$1'), text);
      assert.doesNotMatch(twin, /__ejs/);
      assert.deepEqual(twin.match(TAG) ?? [], source.match(TAG) ?? []);
      const built = await readFile(join(JS_TWINS_ROOT, javascriptTwinPath(file)), 'utf8');
      assert.equal(built, twin, 'dist/templates-js is stale: npm run build:templates');
    });
  }

  // A part is a fragment (fields, statements): its twin is made, and so parses, inside its template.
  for (const file of templates.filter((name) => name.includes('/partials/'))) {
    it(`${file}: the part's twin keeps its EJS tags, imports .js, is what the build wrote`, async () => {
      const source = await readFile(join(TEMPLATES_ROOT, file), 'utf8');
      const twin = await twinOf(file);
      assert.doesNotMatch(twin, /(from|import)\s*\(?\s*['"][^'"]+\.ts['"]/, 'a .ts specifier is left');
      assert.doesNotMatch(twin, /__ejs|part (start|end)/);
      assert.deepEqual(twin.match(TAG) ?? [], source.match(TAG) ?? []);
      assert.equal(await readFile(join(JS_TWINS_ROOT, file), 'utf8'), twin, 'dist/templates-js is stale');
    });
  }
});

describe("the comments of each language name that language's files", async () => {
  const templates = await typeScriptTemplates();
  const own = await ownTypeScriptFiles();
  /** Each name in `text` of one of the app's own files, written with extension `ext`. */
  const namesIn = (text: string, ext: 'js' | 'ts') =>
    [...text.replace(TAG, '').matchAll(/(?<![\w./-])((?:[\w-]+\/)*[\w.-]+)\.(?:js|ts)\b(?![\w/-])/g)]
      .filter((match) => match[0].endsWith(`.${ext}`))
      .map((match) => `${match[1]}.ts`)
      .filter((name) => own.some((path) => path === name || path.endsWith(`/${name}`)));

  it('knows the app files: src/, scripts/ and test/ of every layer, without the partials', () => {
    for (const file of ['src/store.ts', 'src/routes/session.ts', 'scripts/setup.ts', 'test/helpers.ts'])
      assert.ok(own.includes(file), `${file} in ${own.join(', ')}`);
    assert.ok(
      own.every((file) => /^(src|scripts|test)\/[\w./-]+\.ts$/.test(file)),
      own.join(', '),
    );
  });

  for (const file of templates) {
    it(`${file}: the TypeScript names .ts files, its twin .js files`, async () => {
      assert.deepEqual(namesIn(await readFile(join(TEMPLATES_ROOT, file), 'utf8'), 'js'), []);
      assert.deepEqual(namesIn(await twinOf(file, TEMPLATES_ROOT, own), 'ts'), []);
    });
  }
});

/** [what the case shows, TypeScript in, JavaScript out] */
const STRIP_CASES: Array<[string, string, string]> = [
  [
    'a type-only import goes with the comment above it',
    "import { a } from './a.ts';\n// The row, for the signature below.\nimport type { Row } from './row.ts';\n\n" +
      'export const f = (row: Row) => a(row);\n',
    "import { a } from './a.js';\n\nexport const f = (row) => a(row);\n",
  ],
  [
    "but the file's opening comment stays, right above the code",
    "// What this file does.\nimport type { Row } from './row.ts';\n\nexport const rows: Row[] = [];\n",
    '// What this file does.\nexport const rows = [];\n',
  ],
  [
    'an inline type specifier',
    "import { a, type B } from './a.ts';\n\na as B;\n",
    "import { a } from './a.js';\n\na;\n",
  ],
  ['as', 'export const n = (value as string).length;\n', 'export const n = value.length;\n'],
  [
    'satisfies',
    'export const LIMITS = { a: 1 } satisfies Record<string, number>;\n',
    'export const LIMITS = { a: 1 };\n',
  ],
  ['a non-null assertion', 'export const first = list[0]!.name;\n', 'export const first = list[0].name;\n'],
  [
    'generics',
    'export function id<T>(value: T): T {\n  return value;\n}\nexport const seen = new Map<string, number>();\n',
    'export function id(value) {\n  return value;\n}\nexport const seen = new Map();\n',
  ],
  [
    'an interface with its JSDoc, and a type alias with a trailing comment',
    'const A = 1;\n\n/** A user. */\nexport interface User {\n  /** The name. */\n  name: string;\n}\n' +
      'type Name = string; // a name\n\nexport const B: Name = String(A);\n',
    'const A = 1;\n\nexport const B = String(A);\n',
  ],
  [
    'declared class fields and an overload',
    'export class Box {\n  declare value: number;\n  constructor(value: number) {\n    this.value = value;\n  }\n}\n' +
      'export function open(config?: unknown): Box;\nexport function open() {\n  return new Box(1);\n}\n',
    'export class Box {\n  constructor(value) {\n    this.value = value;\n  }\n}\n' +
      'export function open() {\n  return new Box(1);\n}\n',
  ],
  [
    'an EJS tag in an expression',
    'export const PORT: number = <%= String(port) %>; // <%= note %>\n',
    'export const PORT = <%= String(port) %>; // <%= note %>\n',
  ],
  [
    'EJS tags on their own lines, in statements and in an object',
    "export const options = {\n  a: 1 as number,\n<%- part('fields') -%>\n};\n" +
      '<%_ if (rolling) { _%>\nexport const MAX_AGE: number = <%= ms %>;\n<%_ } _%>\n',
    "export const options = {\n  a: 1,\n<%- part('fields') -%>\n};\n" +
      '<%_ if (rolling) { _%>\nexport const MAX_AGE = <%= ms %>;\n<%_ } _%>\n',
  ],
];

describe('the strip step', () => {
  for (const [what, typescript, javascript] of STRIP_CASES) {
    it(what, async () => {
      assert.equal(await javascriptTwin(typescript, join(TEMPLATES_ROOT, 'case.ts')), javascript);
    });
  }

  it('strips a part where its template prints it, and gives back only the part', async () => {
    const host = {
      text: "export const options = {\n  a: 1,\n<%- part('fields') -%>\n};\n<%- part('functions') -%>\n",
      file: join(TEMPLATES_ROOT, 'case.ts.ejs'),
    };
    const fields = { text: '  b: 2 as number,\n  c: <%= c %>,\n', file: 'fields.ejs' };
    assert.equal(await javascriptPartTwin(host, 'fields', fields), '  b: 2,\n  c: <%= c %>,\n');
    const functions = {
      text:
        '// A row.\ninterface Row {\n  a: number;\n}\n' +
        '// Adds one.\nfunction f(row: Row): number {\n  return row.a + 1;\n}\n',
      file: 'functions.ejs',
    };
    assert.equal(
      await javascriptPartTwin(host, 'functions', functions),
      '// Adds one.\nfunction f(row) {\n  return row.a + 1;\n}\n',
    );
    await assert.rejects(javascriptPartTwin(host, 'rows', fields), /prints <%- part\('rows'\) -%> .* 0 times/);
  });

  it("names the app's own files in comments as the twin's .js, and nothing else", async () => {
    const own = ['src/store.ts', 'src/routes/session.ts', 'test/helpers.ts'];
    const typescript =
      "import { a } from './a.ts';\n" +
      '// See src/store.ts, store.ts and routes/session.ts (helpers.ts); not other.ts, mystore.ts,\n' +
      '// types.d.ts or https://example.com/src/store.ts.\n' +
      "export const file: string = 'src/store.ts'; /* store.ts */\n";
    assert.equal(
      await javascriptTwin(typescript, join(TEMPLATES_ROOT, 'case.ts'), own),
      "import { a } from './a.js';\n" +
        '// See src/store.js, store.js and routes/session.js (helpers.js); not other.ts, mystore.ts,\n' +
        '// types.d.ts or https://example.com/src/store.ts.\n' +
        "export const file = 'src/store.ts'; /* store.js */\n",
    );
  });

  it('refuses what Node cannot strip, and an import that would be left empty', async () => {
    const file = join(TEMPLATES_ROOT, 'case.ts');
    await assert.rejects(javascriptTwin('enum Kind {\n  A,\n}\n', file));
    await assert.rejects(javascriptTwin("import { type A } from './a.ts';\n", file), /import type/);
    await assert.rejects(javascriptTwin('const __ejs0__ = 1;\n', file), /reserved/);
  });
});
