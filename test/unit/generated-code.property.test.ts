// Property: whatever value the CLI accepts, it cannot change the meaning of the generated code.
// Many generated values (quotes, backslashes, `${`, `*/`, `</script>`, newlines, unicode: HOSTILE)
// go through the real plan and render steps, for every proxy setup, in JavaScript and in TypeScript;
// each file must still parse and keep exactly the token structure it has with a plain value
// (TypeScript's own parser and scanner read the .ts files: test/helpers/typescript-syntax.ts). A
// value the CLI cannot encode safely must be refused with a UsageError, never written. (nginx and
// Caddy themselves check the proxy configs in test/e2e/proxy-configs.property.test.ts, and tsc
// type-checks TypeScript apps generated with such values in test/e2e/typescript-hostile-values.test.ts.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { tokenizer, parse } from 'acorn';
import fc from 'fast-check';
import { UsageError } from '../../src/errors.ts';
import type { OptionKey, Raw } from '../../src/options.ts';
import { layersFor, planProject } from '../../src/plan.ts';
import { PROXIES } from '../../src/proxies/index.ts';
import { renderPlan, type RenderedFile } from '../../src/render.ts';
import { resolveOptions } from '../../src/resolve-options.ts';
import { listTemplates } from '../../src/templates.ts';
import { MAX_TRUST_PROXY_HOPS } from '../../src/trust-proxy.ts';
import { resolveTarget } from '../../src/project-name.ts';
import { HOSTILE } from '../helpers/hostile-values.ts';
import { TypeScriptSyntax, typeScriptTokens } from '../helpers/typescript-syntax.ts';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);
const secrets = { sessionSecret: 's'.repeat(64), demoPassword: 'p'.repeat(16) };

interface Values {
  directory: string;
  flags: Partial<Record<OptionKey, Raw>>;
}

async function render({ directory, flags }: Values): Promise<Map<string, string>> {
  const { options } = resolveOptions({ pm: 'npm', ...flags });
  const target = resolveTarget(directory, '/work');
  const plan = planProject(options, target, await listTemplates(layersFor(options)), secrets);
  const files: RenderedFile[] = await renderPlan(plan);
  return new Map(files.map((file) => [file.path, file.content.toString('utf8')]));
}

/** The shape of a file with every literal value blanked out: equal shapes mean equal code. */
function shape(path: string, text: string): unknown {
  if (path.endsWith('.js')) {
    parse(text, { ecmaVersion: 'latest', sourceType: 'module' }); // must parse at all
    return [...tokenizer(text, { ecmaVersion: 'latest', sourceType: 'module' })].map((token) => token.type.label);
  }
  if (path.endsWith('.ts')) return typeScriptTokens(text); // that it parses: TypeScriptSyntax.errors
  if (path.endsWith('.json')) return keysOf(JSON.parse(text));
  if (path.endsWith('.html')) return text.match(/[<>]/g)?.length;
  if (path.endsWith('.md')) return { lines: text.split('\n').length, code: text.match(/(?<!\\)`/g)?.length };
  if (path.endsWith('.conf')) return text.match(/[{};]/g)?.length;
  // Caddyfile: blocks, quotes and comments, and the tokens of each line
  if (path.endsWith('Caddyfile'))
    return text.split('\n').map((line) => [line.match(/[{}"`#\\]/g)?.join(''), line.split(/\s+/).length]);
  if (path === '.env' || path.endsWith('.example'))
    return text.split('\n').map((line) => (/^#/.test(line) ? '#' : line.split('=')[0]));
  return text;
}

function keysOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(keysOf);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, keysOf(v)]));
  return typeof value;
}

const nasty = fc.constantFrom(...HOSTILE);
const text = fc
  .array(fc.oneof(nasty, fc.string({ maxLength: 4 }), fc.string({ unit: 'grapheme', maxLength: 3 })), { maxLength: 6 })
  .map((parts) => parts.join(''));
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const domain = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.'));
const packageName = fc.oneof(
  fc.stringMatching(/^[a-z0-9][a-z0-9._~-]{0,20}$/),
  fc
    .tuple(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,8}$/), fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,12}$/))
    .map(([s, n]) => `@${s}/${n}`),
);

// Not the default location, so .env carries it as it does for generated ones.
const PLAIN: Values = { directory: 'app', flags: { domain: 'example.com', storeUrl: './data/plain.db' } };
const proxyId = fc.constantFrom(...PROXIES.map((p) => p.id));
// --trust-proxy (custom only): valid values of every form, and hostile text
const trustProxy = fc.oneof(
  fc.integer({ min: 1, max: MAX_TRUST_PROXY_HOPS }).map(String),
  fc.constantFrom('loopback', 'linklocal', 'uniquelocal', '::1', '10.0.0.0/8', 'fd00::/8,10.1.2.3'),
  fc
    .array(
      fc.ipV4().map((ip) => `${ip}/24`),
      { minLength: 1, maxLength: 3 },
    )
    .map((ips) => ips.join(',')),
  fc.array(fc.ipV6(), { minLength: 1, maxLength: 2 }).map((ips) => ips.join(',')),
  text,
);

describe('values never break out of generated code', () => {
  const plain = new Map<string, Map<string, string>>();
  let typescript: TypeScriptSyntax;
  before(async () => {
    typescript = new TypeScriptSyntax();
    for (const proxy of PROXIES)
      for (const ts of [false, true]) {
        const files = await render({ ...PLAIN, flags: { ...PLAIN.flags, proxy: proxy.id, typescript: ts } });
        assert.deepEqual(typescript.errors(files), [], `the plain ${proxy.id} app parses`);
        plain.set(`${proxy.id} ${ts}`, files);
      }
  });
  after(() => typescript.close());

  it(`keeps every generated file's structure for ${RUNS} generated values`, async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        packageName,
        domain,
        fc
          .oneof(
            text,
            text.map((t) => `./data/${t}.db`),
          )
          .filter((p) => p !== './data/sessions.db'),
        proxyId,
        trustProxy,
        fc.boolean(),
        async (name, host, sqlitePath, proxy, trust, ts) => {
          const flags = {
            domain: host,
            storeUrl: sqlitePath,
            proxy,
            ...(proxy === 'custom' ? { trustProxy: trust } : {}),
            typescript: ts,
          };
          let files: Map<string, string>;
          try {
            files = await render({ directory: name, flags });
          } catch (error) {
            if (error instanceof UsageError) return void refused++; // refused with a message: fine
            throw error;
          }
          const expected = plain.get(`${proxy} ${ts}`)!;
          assert.deepEqual([...files.keys()], [...expected.keys()]);
          assert.deepEqual(typescript.errors(files), [], `syntax errors for ${JSON.stringify({ name, ...flags })}`);
          for (const [path, content] of files) {
            assert.deepEqual(
              shape(path, content),
              shape(path, expected.get(path)!),
              `${path} changed shape for ${JSON.stringify({ name, ...flags })}`,
            );
          }
        },
      ),
      { numRuns: RUNS },
    );
    console.log(`# ${RUNS} runs, ${refused} refused as not safely encodable`);
  });

  it('refuses what cannot be encoded, with a UsageError', async () => {
    await assert.rejects(render({ directory: 'app', flags: { storeUrl: './a"b.db' } }), UsageError);
    await assert.rejects(render({ directory: 'app', flags: { storeUrl: './a\nNODE_ENV=development' } }), UsageError);
    await assert.rejects(
      render({ directory: 'app', flags: { proxy: 'custom', trustProxy: '1.2.3.4", evil: "' } }),
      UsageError,
    );
  });
});
