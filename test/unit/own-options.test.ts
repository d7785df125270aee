// A store or proxy module declares its own options (as sv's add-ons do); the table gathers them and
// applies each only to its module. A throwaway store with one option proves the gathering, and a
// copy of redis with it proves the value reaches the templates, --json and the command for CI.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeOptions } from '../../src/describe-options.ts';
import { UsageError } from '../../src/errors.ts';
import { equivalentCommand } from '../../src/next-steps.ts';
import { asString, option, ownOptions, type OptionDef } from '../../src/option-def.ts';
import { OPTION_TABLE, optionsFor } from '../../src/options.ts';
import { PROXIES } from '../../src/proxies/index.ts';
import { resolveOptions } from '../../src/resolve-options.ts';
import { STORES } from '../../src/stores/index.ts';
import { redis } from '../../src/stores/redis.ts';
import { templateContext } from '../../src/template-context.ts';
import { target } from '../helpers/plan.ts';

const keyPrefix = option<string>({
  flag: '--key-prefix <prefix>',
  help: 'prefix of the session keys',
  default: () => 'sess:',
  prompt: { kind: 'input', message: 'Key prefix' },
  parse: (raw) => {
    if (!/^[a-z:]+$/.test(asString(raw))) throw new UsageError(`Invalid --key-prefix ${JSON.stringify(raw)}`);
    return asString(raw);
  },
});
const throwaway = { id: 'throwaway', options: { keyPrefix } };
const other = { id: 'other' };
// The gathered table holds keys its type does not know.
const gathered = ownOptions([other, throwaway], 'store') as Record<string, OptionDef<unknown>>;
const own = gathered.keyPrefix!;
const chosen = { store: throwaway };
const notChosen = { store: other };

describe("a module's own options", () => {
  it('are gathered under their key, with their flag, help and the default --help shows', () => {
    assert.deepEqual(Object.keys(gathered), ['keyPrefix']);
    assert.equal(own.flag, '--key-prefix <prefix>');
    assert.equal(own.help, 'prefix of the session keys');
    assert.equal(own.defaultHelp, 'sess:');
  });

  it('apply when their module is chosen: asked, with its default, and parsed by it', () => {
    assert.equal(own.prompt?.when?.(chosen), true);
    assert.equal(own.default(chosen, {}), 'sess:');
    assert.equal(own.parse('app:', chosen), 'app:');
    assert.throws(() => own.parse('APP', chosen), /Invalid --key-prefix "APP"/);
  });

  it('do not apply with another choice: not asked, no default, and refused when given', () => {
    assert.equal(own.prompt?.when?.(notChosen), false);
    assert.equal(own.default(notChosen, {}), undefined);
    assert.equal(own.parse(undefined, notChosen), undefined);
    assert.throws(
      () => own.parse('app:', notChosen),
      (error) =>
        error instanceof UsageError &&
        error.message ===
          '--key-prefix only applies to --store throwaway: drop --key-prefix, or use --store throwaway.',
    );
  });

  it('may not be declared by two modules under one key', () => {
    const twice = [throwaway, { id: 'again', options: { keyPrefix } }];
    assert.throws(() => ownOptions(twice, 'store'), /option keyPrefix is declared by two store modules/);
  });
});

describe('the gathered table', () => {
  it('keys each option as commander names its flag, so flags, prompts and answers meet', () => {
    const flags = new Set<string>();
    for (const [key, def] of Object.entries(OPTION_TABLE)) {
      const flag = def.flag.split(' ')[0]!;
      assert.equal(
        flag.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()),
        key,
        flag,
      );
      assert.ok(!flags.has(flag), `${flag} twice`);
      flags.add(flag);
    }
  });
});

describe("a module's own option, chosen", () => {
  // The CLI's stores, with redis declaring --key-prefix; the CLI's own table stays as it is.
  const prefixedRedis = { ...redis, options: { keyPrefix } };
  const table = optionsFor(
    STORES.map((store) => (store === redis ? prefixedRedis : store)),
    PROXIES,
  );
  const given = { store: 'redis', keyPrefix: 'app:', pm: 'npm' };
  const { options, answers } = resolveOptions(given, undefined, table);

  it('reaches the templates under its store', () => {
    assert.deepEqual(templateContext(options, target).store.options, { keyPrefix: 'app:' });
    assert.deepEqual(templateContext(resolveOptions({ store: 'redis' }).options, target).store.options, {});
  });

  it('is in --json after its store URL, and absent with another store', () => {
    const described = describeOptions(options, table);
    assert.deepEqual(Object.keys(described).slice(0, 3), ['store', 'storeUrl', 'keyPrefix']);
    assert.equal(described.keyPrefix, 'app:');
    const sqlite = resolveOptions({ store: 'sqlite', pm: 'npm' }, undefined, table).options;
    assert.equal('keyPrefix' in describeOptions(sqlite, table), false);
  });

  it('is in the command that repeats the run', () => {
    assert.equal(
      equivalentCommand('my-app', answers, options, table).command,
      'npx create-secure-session-app my-app --store redis --key-prefix app: --yes',
    );
  });

  it('is refused with another store', () => {
    assert.throws(
      () => resolveOptions({ ...given, store: 'sqlite' }, undefined, table),
      /^UsageError: --key-prefix only applies to --store redis: drop --key-prefix, or use --store redis\.$/,
    );
  });
});
