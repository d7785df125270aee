// Which files and dependencies each store brings, and what its templates render to (real templates,
// rendered in memory; the generated JavaScript is checked with `node --check`).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEPENDENCY_VERSIONS } from '../../src/dependency-versions.ts';
import { jsLiteral } from '../../src/escape.ts';
import { layersFor, type Plan } from '../../src/plan.ts';
import { renderPlan } from '../../src/render.ts';
import { STORES } from '../../src/stores/index.ts';
import { assertJavaScriptParses, optionsWith, plan, render } from '../helpers/plan.ts';

const SERVER_STORES = STORES.filter((s) => s.kind === 'server').map((s) => s.id);

const textOf = (p: Plan, path: string) => {
  const file = p.files.find((f) => f.path === path);
  assert.ok(file && file.source.kind === 'text', `${path} is generated as text`);
  return file.source.text;
};

describe('the plan for each store', () => {
  it('lays templates/stores/_server/ under every server store, and only there', () => {
    for (const store of STORES) {
      const layers = layersFor(optionsWith({ store: store.id }));
      const expected =
        store.kind === 'server' ? ['base', 'stores/_server', `stores/${store.id}`] : ['base', `stores/${store.id}`];
      assert.deepEqual(
        layers.filter((layer) => !layer.startsWith('proxies/')),
        expected,
        store.id,
      );
    }
  });

  for (const id of SERVER_STORES) {
    it(`${id}: src/store.js from its folder, the shared deadline module and compose.yaml; no partials`, async () => {
      const p = await plan({ store: id });
      const paths = p.files.map((f) => f.path);
      for (const path of ['src/store.js', 'src/store-timeout.js', 'compose.yaml'])
        assert.ok(paths.includes(path), `${id}: ${path}`);
      assert.ok(!paths.includes('src/sqlite-store.js'));
      assert.ok(
        !paths.some((path) => path.includes('partials')),
        `${id}: partials are not written: ${paths.join(', ')}`,
      );
      const storeJs = p.files.find((f) => f.path === 'src/store.js')!;
      assert.equal(storeJs.source.kind === 'template' && storeJs.source.layer, `stores/${id}`);
    });

    it(`${id}: package.json gets the store's dependencies and no install scripts`, async () => {
      const manifest = JSON.parse(textOf(await plan({ store: id }), 'package.json'));
      const store = STORES.find((s) => s.id === id)!;
      for (const name of store.dependencies)
        assert.equal(manifest.dependencies[name], DEPENDENCY_VERSIONS[name], `${id}: ${name}`);
      for (const name of ['express', 'express-session', 'express-rate-limit', 'helmet'])
        assert.ok(manifest.dependencies[name], name);
      assert.equal(manifest.dependencies['better-sqlite3'], undefined);
      assert.equal(manifest.allowScripts, undefined);
    });
  }

  it('sqlite and memory get neither the deadline module nor compose.yaml', async () => {
    for (const id of ['sqlite', 'memory']) {
      const paths = (await plan({ store: id })).files.map((f) => f.path);
      assert.ok(!paths.includes('src/store-timeout.js'), id);
      assert.ok(!paths.includes('compose.yaml'), id);
      assert.ok(!paths.some((path) => path.includes('partials')), id);
    }
  });

  it(
    ".gitignore: every store's has node_modules/, .env and " + "*.log; only SQLite's has its database directory data/",
    async () => {
      for (const store of STORES) {
        const lines = (await render({ store: store.id })).get('.gitignore')!.split('\n');
        for (const line of ['node_modules/', '.env', '*.log']) assert.ok(lines.includes(line), `${store.id}: ${line}`);
        assert.equal(lines.includes('data/'), store.id === 'sqlite', `${store.id}: data/`);
        assert.ok(
          !lines.includes('') || lines.indexOf('') === lines.length - 1,
          `${store.id}: no blank lines but the final newline: ${JSON.stringify(lines)}`,
        );
      }
    },
  );

  it('passes the store kind and URL schemes to the templates', async () => {
    const { store } = (await plan({ store: 'postgres' })).context;
    assert.equal(store.kind, 'server');
    assert.equal(store.urlEnv, 'DATABASE_URL');
    assert.deepEqual(store.urlSchemes, ['postgres:', 'postgresql:']);
  });

  it('keeps a --store-url password out of every file but .env (mode 600)', async () => {
    const p = await plan({ store: 'redis', storeUrl: 'redis://app:Pw-from-the-CLI@cache.internal:6380/1' });
    assert.equal(p.context.store.url, 'redis://app@cache.internal:6380/1');
    const env = p.files.find((f) => f.path === '.env')!;
    assert.equal(env.mode, 0o600);
    const files = await renderPlan(p);
    assert.match(
      files.find((f) => f.path === '.env')!.content.toString('utf8'),
      /^REDIS_URL=redis:\/\/app:Pw-from-the-CLI@cache\.internal:6380\/1$/m,
    );
    for (const file of files) {
      if (file.path === '.env') continue;
      assert.doesNotMatch(file.content.toString('utf8'), /Pw-from-the-CLI/, file.path);
    }
  });

  it("sets the store URL in .env only when it is not the default (else .env.example's line stays)", async () => {
    const envOf = async (overrides: Parameters<typeof render>[0]) => (await render(overrides)).get('.env')!;
    assert.match(await envOf({ store: 'mysql' }), /^DATABASE_URL=mysql:\/\/root@127\.0\.0\.1:3306\/sessions$/m);
    assert.match(
      await envOf({ store: 'mysql', storeUrl: 'mysql://root@127.0.0.1:3306/test' }),
      /^DATABASE_URL=mysql:\/\/root@127\.0\.0\.1:3306\/test$/m,
    );
    assert.match(
      await envOf({ store: 'mysql', storeUrl: 'mysql://u@h/x?ssl={}' }),
      /^DATABASE_URL="mysql:\/\/u@h\/x\?ssl=\{\}"$/m,
    );
    assert.doesNotMatch(await envOf({ store: 'memory' }), /^[A-Z_]*(URL|PATH)=/m);
    for (const overrides of [{ store: 'mysql' }, { store: 'memory' }]) {
      const values = (await plan(overrides)).files.find((f) => f.path === '.env')!.source;
      assert.ok(values.kind === 'env' && !('DATABASE_URL' in values.values), 'no --store-url: nothing to set');
    }
  });
});

describe('the rendered app for each store', () => {
  for (const store of STORES) {
    it(`${store.id}: every JavaScript file passes node --check`, async () => {
      const files = await render({ store: store.id });
      assertJavaScriptParses(files, store.id);
    });

    it(`${store.id}: its README and .env.example text come from its partials`, async () => {
      const files = await render({ store: store.id });
      const readme = files.get('README.md')!;
      assert.equal(readme.match(/^## Session store: /gm)?.length, 1, 'one store section');
      assert.doesNotMatch(readme, /\n\n\n/, 'no runs of blank lines');
      const example = files.get('.env.example')!;
      if (store.urlEnv) {
        assert.match(
          readme,
          new RegExp(`^\\| \`${store.urlEnv}\` \\| ${store.defaultUrl.replaceAll('.', '\\.')} \\|`, 'm'),
          'the env table row',
        );
        assert.match(example, new RegExp(`^${store.urlEnv}=${store.defaultUrl.replaceAll('.', '\\.')}$`, 'm'));
      }
      assert.doesNotMatch(example, /\n\n\n/, 'no runs of blank lines');
    });
  }

  for (const id of SERVER_STORES) {
    it(
      `${id}: config.js reads the URL variable, README says ` +
        `how to run the server and what happens when it is down`,
      async () => {
        const store = STORES.find((s) => s.id === id)!;
        const files = await render({ store: id });
        const config = files.get('src/config.js')!;
        assert.ok(config.includes(`variable: ${jsLiteral(store.urlEnv)}`));
        assert.ok(config.includes(`schemes: Object.freeze(${jsLiteral(store.urlSchemes)})`));
        const readme = files.get('README.md')!;
        assert.match(readme, /docker compose up -d/);
        assert.match(readme, /sudo apt install/);
        assert.match(readme, /error: cannot reach the session store at /);
        assert.match(readme, /503 `\{"error":"session store unavailable"\}`/);
        assert.match(readme, /never in a committed file/);
        assert.match(readme, /^\| `compose\.yaml` \|/m);
        assert.match(readme, /^\| `src\/store-timeout\.js` \|/m);
      },
    );
  }

  it('redis: one key prefix per app, for sessions and for login counts, written as JavaScript literals', async () => {
    const files = await render({ store: 'redis' });
    assert.ok(files.get('src/store.js')!.includes("export const KEY_PREFIX = 'my-app:sess:';"));
    assert.ok(files.get('src/store.js')!.includes("export const RATE_LIMIT_PREFIX = 'my-app:rl:';"));
    assert.match(files.get('src/store.js')!, /import \{ RedisStore \} from 'connect-redis';/);
  });

  it('postgres and mysql name their session tables', async () => {
    assert.match(
      (await render({ store: 'postgres' })).get('src/store.js')!,
      /export const TABLE = 'session';[\s\S]*createTableIfMissing: true/,
    );
    assert.match(
      (await render({ store: 'mysql' })).get('src/store.js')!,
      /export const TABLE = 'sessions';[\s\S]*createDatabaseTable: true/,
    );
  });
});
