import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/errors.ts';
import type { OptionKey, Raw } from '../../src/options.ts';
import { DEPENDENCY_VERSIONS } from '../../src/dependency-versions.ts';
import { resolveOptions } from '../../src/resolve-options.ts';
import { STORES } from '../../src/stores/index.ts';
import { checkServerUrl, redactUrl, withoutPassword } from '../../src/stores/url.ts';
import { TEMPLATES_ROOT } from '../../src/templates.ts';

function options(overrides: Partial<Record<OptionKey, Raw>>) {
  return resolveOptions({ pm: 'npm', ...overrides }).options;
}

/** The UsageError --store-url gives, as one line. */
function refusal(store: string, storeUrl: string): string {
  try {
    options({ store, storeUrl });
  } catch (error) {
    assert.ok(error instanceof UsageError, `not a UsageError: ${String(error)}`);
    assert.doesNotMatch(error.message, /\n/);
    return error.message;
  }
  assert.fail(`--store ${store} --store-url ${storeUrl} was accepted`);
}

const server = (id: string) => STORES.find((s) => s.id === id)!;

describe('the store table', () => {
  it('offers sqlite first (the default), then the server stores, then memory', () => {
    assert.deepEqual(
      STORES.map((s) => s.id),
      ['sqlite', 'redis', 'postgres', 'mysql', 'memory'],
    );
  });

  it('gives each store a template folder with its src/store.ts and its README and .env.example text', () => {
    for (const store of STORES) {
      const dir = join(TEMPLATES_ROOT, 'stores', store.id);
      assert.ok(
        ['src/store.ts', 'src/store.ts.ejs'].some((file) => existsSync(join(dir, file))),
        `${store.id}: src/store.ts`,
      );
      // One file per part (partials/<file>/<part>.ejs); only SQLite adds to .gitignore.
      for (const part of ['README.md/store', 'README.md/throttle', 'README.md/checklist', 'env.example/store']) {
        assert.ok(existsSync(join(dir, `partials/${part}.ejs`)), `${store.id}: partials/${part}.ejs`);
      }
    }
  });

  it('names a URL variable, a default that passes its own check, and schemes for each server store', () => {
    for (const store of STORES.filter((s) => s.kind === 'server')) {
      assert.match(store.urlEnv, /^[A-Z][A-Z0-9_]*_URL$/, store.id);
      assert.ok(store.urlSchemes.length > 0, store.id);
      assert.ok(store.urlSchemes.includes(new URL(store.defaultUrl).protocol), store.id);
      assert.equal(store.validateUrl(store.defaultUrl), undefined, store.id);
      assert.equal(withoutPassword(store.defaultUrl), store.defaultUrl, `${store.id}: no password in the default`);
      assert.deepEqual(store.installScripts, [], `${store.id}: pure JavaScript, no install scripts`);
    }
  });

  it(
    'pins the newest majors for Node 22.12+: connect-redis 10 and rate-limit-redis 6 ' +
      'with redis 6, connect-pg-simple 10 with pg 8, express-mysql-session 3 with mysql2 3',
    () => {
      assert.deepEqual([...server('redis').dependencies].sort(), ['connect-redis', 'rate-limit-redis', 'redis']);
      assert.match(DEPENDENCY_VERSIONS['connect-redis'], /^\^10\./);
      assert.match(DEPENDENCY_VERSIONS['rate-limit-redis'], /^\^6\./);
      assert.match(DEPENDENCY_VERSIONS.redis, /^\^6\./);
      assert.match(DEPENDENCY_VERSIONS['connect-pg-simple'], /^\^10\./);
      assert.match(DEPENDENCY_VERSIONS.pg, /^\^8\./);
      assert.match(DEPENDENCY_VERSIONS['express-mysql-session'], /^\^3\./);
      assert.match(DEPENDENCY_VERSIONS.mysql2, /^\^3\./);
    },
  );
});

describe('--store-url for the server stores', () => {
  const accepted: Record<string, string[]> = {
    redis: [
      'redis://127.0.0.1:6379',
      'rediss://app:s3cr%40t@redis.example.com:6380/2',
      'redis://localhost',
      'redis://[::1]:6379',
    ],
    postgres: [
      'postgres://postgres@127.0.0.1:5432/sessions',
      'postgresql://app:pw@db.example.com/app?sslmode=verify-full',
      'postgres://app@db.example.com:5432/app?sslmode=verify-full&sslrootcert=/etc/ssl/ca.pem',
    ],
    mysql: ['mysql://root@127.0.0.1:3306/sessions', 'mysql://app:pw@db.example.com/app?ssl={}'],
  };
  for (const [id, urls] of Object.entries(accepted)) {
    it(`${id} accepts ${urls.length} usual forms, TLS included`, () => {
      for (const url of urls) assert.equal(options({ store: id, storeUrl: url }).storeUrl, url);
    });
  }

  it('refuses a URL of another store, naming the value and the expected form', () => {
    assert.match(
      refusal('redis', 'postgres://127.0.0.1:5432/x'),
      new RegExp(
        String.raw`^Invalid --store-url "postgres:\/\/127\.0\.0\.1:5432\/x": Redis takes redis:\/\/ ` +
          String.raw`or rediss:\/\/, not postgres:\/\/; use a URL such as redis:\/\/127\.0\.0\.1:6379`,
      ),
    );
    assert.match(
      refusal('postgres', 'mysql://root@h/x'),
      /PostgreSQL takes postgres:\/\/ or postgresql:\/\/, not mysql:\/\//,
    );
    assert.match(refusal('mysql', 'redis://127.0.0.1'), /MySQL takes mysql:\/\/, not redis:\/\//);
    assert.match(refusal('redis', 'http://cache.internal'), /not http:\/\//);
  });

  it('refuses a file path, an empty value and a malformed URL', () => {
    for (const id of ['redis', 'postgres', 'mysql']) {
      assert.match(refusal(id, './data/sessions.db'), /it is not a URL/, id);
      assert.match(refusal(id, ''), /the URL is empty/, id);
      assert.match(refusal(id, `${server(id).urlSchemes[0]}//`), /not a valid URL|names no host/, id);
      assert.match(refusal(id, `${server(id).urlSchemes[0]}//host:99999/x`), /not a valid URL/, id);
    }
  });

  it('refuses spaces, quotes, backslashes and control characters (they cannot go into .env)', () => {
    for (const bad of ['redis://a b', 'redis://"h"', 'redis://h\\x', 'redis://h\n', 'redis://h\u0000']) {
      assert.match(refusal('redis', bad), /space, a quote, a backslash or a control character/, JSON.stringify(bad));
    }
  });

  it('refuses a MySQL URL without a database', () => {
    assert.match(refusal('mysql', 'mysql://root@127.0.0.1:3306'), /names no database/);
    assert.match(refusal('mysql', 'mysql://root@127.0.0.1:3306/'), /names no database/);
  });

  it('masks the password of a refused URL', () => {
    const message = refusal('redis', 'postgres://app:s3cret@db.example.com/x');
    assert.match(message, /"postgres:\/\/app:\*\*\*@db\.example\.com\/x"/);
    assert.doesNotMatch(message, /s3cret/);
    assert.doesNotMatch(refusal('postgres', 'postgres://app:s3cret@host:99999/x'), /s3cret/);
  });

  // Which stores are asked for a location, with what default: test/unit/resolve-options.test.ts.
});

describe('URL helpers', () => {
  it('checkServerUrl returns undefined for a good URL and a reason otherwise', () => {
    assert.equal(checkServerUrl('redis://h', ['redis:'], 'Redis'), undefined);
    assert.equal(checkServerUrl('REDIS://h', ['redis:'], 'Redis'), undefined);
    assert.match(checkServerUrl('redis:h', ['redis:'], 'Redis')!, /not a URL/);
  });

  it('redactUrl masks what lies between the user and the last @, parseable or not', () => {
    const cases: Array<[string, string]> = [
      ['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379'],
      ['redis://:s3cret@h:1', 'redis://:***@h:1'],
      ['rediss://app:s3cret@h:1/0', 'rediss://app:***@h:1/0'],
      ['postgres://u:p@ss@host/db', 'postgres://u:***@host/db'],
      ['mysql://root@127.0.0.1:3306/x', 'mysql://root@127.0.0.1:3306/x'],
      ['postgres://h/db?user=x&password=s3cret', 'postgres://h/db?user=x&password=***'],
      ['app:s3cret@host', 'app:***@host'],
      ['redis://u:s3cret@[bad', 'redis://u:***@[bad'],
    ];
    for (const [url, redacted] of cases) assert.equal(redactUrl(url), redacted, url);
  });

  it('withoutPassword keeps the user and drops the password, for committed files', () => {
    assert.equal(withoutPassword('redis://:s3cret@cache:6379'), 'redis://cache:6379');
    assert.equal(
      withoutPassword('postgres://app:s3cret@db:5432/app?sslmode=verify-full'),
      'postgres://app@db:5432/app?sslmode=verify-full',
    );
    assert.equal(
      withoutPassword('postgres://db/app?password=s3cret&sslmode=verify-full'),
      'postgres://db/app?sslmode=verify-full',
    );
    assert.equal(withoutPassword('mysql://root@127.0.0.1:3306/x?ssl={}'), 'mysql://root@127.0.0.1:3306/x?ssl={}');
    assert.equal(withoutPassword('./data/sessions.db'), './data/sessions.db');
  });
});

describe('compose.yaml for the server stores', () => {
  // No YAML parser among the dependencies: the files are kept simple enough for line checks.
  const expected: Record<string, { image: string; port: number }> = {
    redis: { image: 'redis:7-alpine', port: 6379 },
    postgres: { image: 'postgres:16-alpine', port: 5432 },
    mysql: { image: 'mariadb:11', port: 3306 },
  };
  for (const store of STORES) {
    const file = join(TEMPLATES_ROOT, 'stores', store.id, 'compose.yaml');
    if (store.kind !== 'server') {
      it(`${store.id} has none`, () => assert.equal(existsSync(file), false));
      continue;
    }
    it(
      `${store.id}: one service, ${expected[store.id]!.image}, published on ` +
        `127.0.0.1:${expected[store.id]!.port} only, matching the default URL`,
      () => {
        const text = readFileSync(file, 'utf8');
        assert.doesNotMatch(text, /\t/, 'YAML takes no tabs');
        const content = text.split('\n').filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
        assert.equal(content[0], 'services:');
        assert.equal(content.filter((line) => /^ {2}\S/.test(line)).length, 1, 'one service');
        for (const line of content.slice(1))
          assert.match(line, /^( {2})+(- )?\S/, `two-space indentation: ${JSON.stringify(line)}`);
        const images = content
          .filter((line) => /^ {4}image: /.test(line))
          .map((line) => line.trim().slice('image: '.length));
        assert.deepEqual(images, [expected[store.id]!.image]);
        const ports = content.filter((line) => /^ {6}- "/.test(line)).map((line) => line.trim());
        assert.deepEqual(ports, [`- "127.0.0.1:${expected[store.id]!.port}:${expected[store.id]!.port}"`]);
        assert.equal(Number(new URL(store.defaultUrl).port), expected[store.id]!.port);
      },
    );
  }

  it('postgres and mariadb create the database the default URL names', () => {
    const dbOf = (id: string) => new URL(server(id).defaultUrl).pathname.slice(1);
    assert.match(
      readFileSync(join(TEMPLATES_ROOT, 'stores/postgres/compose.yaml'), 'utf8'),
      new RegExp(`^ {6}POSTGRES_DB: ${dbOf('postgres')}$`, 'm'),
    );
    assert.match(
      readFileSync(join(TEMPLATES_ROOT, 'stores/mysql/compose.yaml'), 'utf8'),
      new RegExp(`^ {6}MARIADB_DATABASE: ${dbOf('mysql')}$`, 'm'),
    );
  });
});
