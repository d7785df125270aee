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

export const CONFIG_CASES: { store: string; flags: string[]; cases: ConfigCase[] }[] = [
  {
    store: 'sqlite',
    flags: [],
    cases: [
      { name: 'a PORT that is not a number', env: { PORT: 'http' }, names: 'PORT' },
      { name: 'PORT 0', env: { PORT: '0' }, names: 'PORT' },
      { name: 'a PORT over 65535', env: { PORT: '70000' }, names: 'PORT' },
      { name: 'a fractional PORT', env: { PORT: '3000.5' }, names: 'PORT' },
      { name: 'no SESSION_SECRET in production', env: { SESSION_SECRET: undefined }, names: 'SESSION_SECRET' },
      {
        name: 'a short SESSION_SECRET',
        env: { SESSION_SECRET: 'hunter2-is-short' },
        names: 'SESSION_SECRET',
        never: ['hunter2'],
      },
      {
        name: 'a short second SESSION_SECRET',
        env: { SESSION_SECRET: `${SECRET},hunter2` },
        names: 'SESSION_SECRET',
        never: ['hunter2', SECRET],
      },
      { name: 'TRUST_PROXY=true', env: { TRUST_PROXY: 'true' }, names: 'TRUST_PROXY' },
      { name: 'a garbage TRUST_PROXY', env: { TRUST_PROXY: 'nginx-please' }, names: 'TRUST_PROXY' },
      { name: 'a CIDR with too many bits', env: { TRUST_PROXY: '10.0.0.0/99' }, names: 'TRUST_PROXY' },
      { name: 'a negative hop count', env: { TRUST_PROXY: '-1' }, names: 'TRUST_PROXY' },
      { name: 'a PUBLIC_HOST with a path', env: { PUBLIC_HOST: 'app.example.com/evil' }, names: 'PUBLIC_HOST' },
      { name: 'a PUBLIC_HOST that is a URL', env: { PUBLIC_HOST: 'https://app.example.com' }, names: 'PUBLIC_HOST' },
      { name: 'a PUBLIC_HOST with port 0', env: { PUBLIC_HOST: 'app.example.com:0' }, names: 'PUBLIC_HOST' },
      { name: 'a PUBLIC_HOST with an empty label', env: { PUBLIC_HOST: 'app..example.com' }, names: 'PUBLIC_HOST' },
      {
        name: 'a hop count larger than any real chain',
        env: { TRUST_PROXY: '99' },
        names: 'TRUST_PROXY',
        says: /at most 5 hops/,
      },
      { name: 'an unknown NODE_ENV', env: { NODE_ENV: 'prod' }, names: 'NODE_ENV' },
      { name: 'a capitalised NODE_ENV', env: { NODE_ENV: 'Production' }, names: 'NODE_ENV' },
    ],
  },
  {
    store: 'redis',
    flags: [],
    cases: [
      { name: 'a REDIS_URL that is not a URL', env: { REDIS_URL: 'localhost:6379' }, names: 'REDIS_URL' },
      { name: 'a REDIS_URL of another scheme', env: { REDIS_URL: 'http://127.0.0.1:6379' }, names: 'REDIS_URL' },
      {
        name: 'a malformed REDIS_URL with a password',
        env: { REDIS_URL: 'redis://app:hunter2@127.0.0.1:99999' },
        names: 'REDIS_URL',
        never: ['hunter2'],
      },
    ],
  },
  {
    store: 'postgres',
    flags: [],
    cases: [
      { name: 'a DATABASE_URL that is not a URL', env: { DATABASE_URL: 'postgres' }, names: 'DATABASE_URL' },
      {
        name: 'a DATABASE_URL of another scheme',
        env: { DATABASE_URL: 'mysql://root@127.0.0.1/test' },
        names: 'DATABASE_URL',
      },
      {
        name: 'a malformed DATABASE_URL with a password',
        env: { DATABASE_URL: 'postgres://app:hunter2@:5432/x' },
        names: 'DATABASE_URL',
        never: ['hunter2'],
      },
    ],
  },
  {
    store: 'mysql',
    flags: [],
    cases: [
      {
        name: 'a DATABASE_URL without a database',
        env: { DATABASE_URL: 'mysql://root@127.0.0.1:3306' },
        names: 'DATABASE_URL',
      },
      {
        name: 'an unreachable DATABASE_URL with a password',
        env: { DATABASE_URL: 'mysql://app:hunter2@127.0.0.1:1/test' },
        names: 'DATABASE_URL',
        never: ['hunter2'],
      },
    ],
  },
];

for (const { store, flags, cases } of CONFIG_CASES) {
  describe(`the generated app (${store}) refuses bad configuration`, () => {
    let app: GeneratedApp | undefined;
    before(
      async () => {
        app = await generateApp(['--store', store, ...flags]);
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
