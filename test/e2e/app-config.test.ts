// The generated app refuses bad configuration at start: one line on stderr naming the variable,
// a non-zero exit, no stack trace, and never the secret itself.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { lines, STACK_LINE } from '../helpers/assertions.ts';
import { describeRun } from '../helpers/cli.ts';
import { runAppToExit, type AppEnv } from '../helpers/app-process.ts';
import { generateApp, installDeps, type GeneratedApp } from '../helpers/generated-app.ts';

const SECRET = 'k'.repeat(48);

interface ConfigCase {
  name: string;
  env: AppEnv;
  /** The one line must name this variable. */
  names: string;
  /** What else the line must say (the limit it broke). */
  says?: RegExp;
  /** Strings that must never appear on stderr (secrets, passwords). */
  never?: string[];
}

const BASE: AppEnv = { SESSION_SECRET: SECRET, PORT: '3999', HOST: '127.0.0.1' };

/** The app started with `variable` set to `value` (undefined: unset), which its one line must name. */
const bad = (
  name: string,
  variable: string,
  value: string | undefined,
  more: Pick<ConfigCase, 'says' | 'never'> = {},
): ConfigCase => ({ name, env: { [variable]: value }, names: variable, ...more });

/** The password in the cases' values, which stderr must never show. */
const HIDES_PASSWORD = { never: ['hunter2'] };

/** The cases by the store the app is generated with. */
export const CONFIG_CASES: Record<string, ConfigCase[]> = {
  sqlite: [
    bad('a PORT that is not a number', 'PORT', 'http'),
    bad('PORT 0', 'PORT', '0'),
    bad('a PORT over 65535', 'PORT', '70000'),
    bad('a fractional PORT', 'PORT', '3000.5'),
    bad('no SESSION_SECRET in production', 'SESSION_SECRET', undefined),
    bad('a short SESSION_SECRET', 'SESSION_SECRET', 'hunter2-is-short', HIDES_PASSWORD),
    bad('a short second SESSION_SECRET', 'SESSION_SECRET', `${SECRET},hunter2`, { never: ['hunter2', SECRET] }),
    bad('TRUST_PROXY=true', 'TRUST_PROXY', 'true'),
    bad('a garbage TRUST_PROXY', 'TRUST_PROXY', 'nginx-please'),
    bad('a CIDR with too many bits', 'TRUST_PROXY', '10.0.0.0/99'),
    bad('a negative hop count', 'TRUST_PROXY', '-1'),
    bad('a PUBLIC_HOST with a path', 'PUBLIC_HOST', 'app.example.com/evil'),
    bad('a PUBLIC_HOST that is a URL', 'PUBLIC_HOST', 'https://app.example.com'),
    bad('a PUBLIC_HOST with port 0', 'PUBLIC_HOST', 'app.example.com:0'),
    bad('a PUBLIC_HOST with an empty label', 'PUBLIC_HOST', 'app..example.com'),
    bad('a hop count larger than any real chain', 'TRUST_PROXY', '99', { says: /at most 5 hops/ }),
    bad('an unknown NODE_ENV', 'NODE_ENV', 'prod'),
    bad('a capitalised NODE_ENV', 'NODE_ENV', 'Production'),
  ],
  redis: [
    bad('a REDIS_URL that is not a URL', 'REDIS_URL', 'localhost:6379'),
    bad('a REDIS_URL of another scheme', 'REDIS_URL', 'http://127.0.0.1:6379'),
    bad('a malformed REDIS_URL with a password', 'REDIS_URL', 'redis://app:hunter2@127.0.0.1:99999', HIDES_PASSWORD),
    {
      name: 'REDIS_URL and REDIS_CLUSTER_URLS both set',
      env: { REDIS_URL: 'redis://:hunter2@127.0.0.1:6379', REDIS_CLUSTER_URLS: 'redis://127.0.0.1:7000' },
      names: 'REDIS_URL and REDIS_CLUSTER_URLS',
      ...HIDES_PASSWORD,
    },
    bad(
      'a REDIS_CLUSTER_URLS node that is no URL',
      'REDIS_CLUSTER_URLS',
      'redis://:hunter2@h:7000,h:7001',
      HIDES_PASSWORD,
    ),
    bad('an unreachable cluster with a password', 'REDIS_CLUSTER_URLS', 'redis://:hunter2@127.0.0.1:1', {
      says: /cannot reach the session store at redis:\/\/:\*\*\*@127\.0\.0\.1:1/,
      ...HIDES_PASSWORD,
    }),
    bad('REDIS_SENTINELS without REDIS_SENTINEL_MASTER', 'REDIS_SENTINELS', '127.0.0.1:26379'),
    {
      name: 'REDIS_SENTINELS that are URLs',
      env: { REDIS_SENTINELS: 'redis://:hunter2@127.0.0.1:26379', REDIS_SENTINEL_MASTER: 'sessions' },
      names: 'REDIS_SENTINELS',
      ...HIDES_PASSWORD,
    },
    {
      name: 'unreachable sentinels with passwords',
      env: {
        REDIS_SENTINELS: '127.0.0.1:1',
        REDIS_SENTINEL_MASTER: 'sessions',
        REDIS_PASSWORD: 'hunter2',
        REDIS_SENTINEL_PASSWORD: 'hunter2',
      },
      names: 'REDIS_SENTINELS and REDIS_SENTINEL_MASTER',
      says: /cannot reach the session store at Sentinel 127\.0\.0\.1:1 \(master sessions\)/,
      ...HIDES_PASSWORD,
    },
  ],
  postgres: [
    bad('a DATABASE_URL that is not a URL', 'DATABASE_URL', 'postgres'),
    bad('a DATABASE_URL of another scheme', 'DATABASE_URL', 'mysql://root@127.0.0.1/test'),
    bad('a malformed DATABASE_URL with a password', 'DATABASE_URL', 'postgres://app:hunter2@:5432/x', HIDES_PASSWORD),
  ],
  mysql: [
    bad('a DATABASE_URL without a database', 'DATABASE_URL', 'mysql://root@127.0.0.1:3306'),
    bad(
      'an unreachable DATABASE_URL with a password',
      'DATABASE_URL',
      'mysql://app:hunter2@127.0.0.1:1/test',
      HIDES_PASSWORD,
    ),
  ],
};

for (const [store, cases] of Object.entries(CONFIG_CASES)) {
  describe(`the generated app (${store}) refuses bad configuration`, () => {
    let app: GeneratedApp | undefined;
    before(
      async () => {
        app = await generateApp(['--store', store]);
        await installDeps(app.dir);
      },
      { timeout: 10 * 60_000 },
    );
    after(async () => {
      await app?.remove();
    });

    for (const testCase of cases) {
      it(testCase.name, async () => {
        const env = { ...BASE, ...testCase.env };
        const result = await runAppToExit({ dir: app!.dir, env, timeoutMs: 10_000 });
        assert.notEqual(result.code, 0, describeRun(result));
        const errors = lines(result.stderr);
        assert.equal(errors.length, 1, `one line on stderr: ${describeRun(result)}`);
        assert.match(errors[0]!, new RegExp(`^error: .*${testCase.names}`));
        if (testCase.says) assert.match(errors[0]!, testCase.says);
        assert.doesNotMatch(result.stderr, STACK_LINE);
        for (const secret of testCase.never ?? [])
          assert.ok(!result.stderr.includes(secret), `stderr echoes a secret: ${result.stderr}`);
      });
    }
  });
}
