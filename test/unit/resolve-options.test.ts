// The prompt flows, without a terminal: what is asked, in what order, with what default, what a
// `when` skips, what a flag prevents being asked, and what happens to an answer the option refuses.
// The pseudo-terminal tests (test/cli/interrupts.test.ts, prompting.test.ts) keep the keys, the
// rendering, Ctrl-C and a closed stdin.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CancelledError, UsageError } from '../../src/errors.ts';
import { PROXIES } from '../../src/proxies/index.ts';
import { resolveOptions } from '../../src/resolve-options.ts';
import { STORES } from '../../src/stores/index.ts';
import { scriptedPrompt } from '../helpers/prompt.ts';

/** A flag for every option that has a prompt (with the default proxy and store). */
const EVERY_PROMPT = {
  store: 'sqlite',
  storeUrl: './data/sessions.db',
  maxAge: '30m',
  rolling: true,
  absoluteTimeout: '8h',
  proxy: 'nginx',
  domain: 'example.com',
  port: '3000',
  typescript: false,
  install: false,
  git: false,
};

describe('resolveOptions: the prompts of an interactive run', () => {
  it('asks every prompted option in table order, with its message and default (Enter takes each)', async () => {
    const prompt = scriptedPrompt();
    const { options, asked, answers, defaulted } = await resolveOptions({ pm: 'npm' }, prompt.ask);
    assert.deepEqual(
      prompt.asked.map(({ key, kind, message, default: fallback }) => [key, kind, message, fallback]),
      [
        ['store', 'select', 'Session store', 'sqlite'],
        ['storeUrl', 'input', 'Store location', './data/sessions.db'],
        ['maxAge', 'input', 'Idle session lifetime (30m, 12h, 7d)', '30m'],
        ['rolling', 'confirm', 'Renew the lifetime on every request (idle timeout)?', true],
        ['absoluteTimeout', 'input', 'Absolute timeout since login (8h, or none)', '8h'],
        ['proxy', 'select', 'Reverse proxy', 'nginx'],
        ['domain', 'input', 'Public host name', 'example.com'],
        ['port', 'input', 'Port the app listens on', '3000'],
        ['typescript', 'confirm', 'Language: TypeScript instead of JavaScript?', false],
        ['install', 'confirm', 'Install dependencies now?', true],
        ['git', 'confirm', 'Initialise a git repository?', true],
      ],
    );
    assert.deepEqual(asked, prompt.keys());
    assert.deepEqual(answers, { pm: 'npm', ...Object.fromEntries(prompt.asked.map((q) => [q.key, q.default])) });
    // Nothing was left to a default: --trust-proxy does not apply to nginx, and --pm was given.
    assert.deepEqual(defaulted, {});
    assert.equal(options.store.id, 'sqlite');
    assert.equal(options.trustProxy, 'loopback');
    assert.equal(options.port, 3000);
  });

  it('offers the stores and the proxy setups in table order, with their labels', async () => {
    const prompt = scriptedPrompt();
    await resolveOptions({}, prompt.ask);
    const choices = (key: string) => {
      const question = prompt.question(key);
      assert.ok(question?.kind === 'select', key);
      return question.choices;
    };
    assert.deepEqual(
      choices('store'),
      STORES.map((s) => ({ value: s.id, label: s.label })),
    );
    assert.deepEqual(
      choices('proxy'),
      PROXIES.map((p) => ({ value: p.id, label: p.label })),
    );
  });

  it('never asks for --pm: a flag only, defaulting to the manager that ran the CLI', async () => {
    const prompt = scriptedPrompt();
    const { defaulted } = await resolveOptions({}, prompt.ask);
    assert.ok(!prompt.keys().includes('pm'));
    assert.ok('pm' in defaulted);
  });

  it('offers an absolute timeout that fits the idle lifetime just answered (12h: 30d; 60d: none)', async () => {
    const twelveHours = scriptedPrompt({ maxAge: '12h', rolling: false });
    const { answers, options } = await resolveOptions({}, twelveHours.ask);
    assert.equal(twelveHours.question('absoluteTimeout')?.default, '30d');
    assert.equal(options.absoluteTimeout?.text, '30d');
    assert.equal(answers.rolling, false);
    // Enter on the offered default is an answer: the printed command repeats it.
    assert.equal(answers.absoluteTimeout, '30d');

    const sixtyDays = scriptedPrompt({ maxAge: '60d' });
    assert.equal((await resolveOptions({}, sixtyDays.ask)).options.absoluteTimeout, null);
    assert.equal(sixtyDays.question('absoluteTimeout')?.default, 'none');
  });

  it("asks for the store's location with that store's default, and not at all for the memory store", async () => {
    for (const [store, location] of [
      ['postgres', 'postgres://postgres@127.0.0.1:5432/sessions'],
      ['mysql', 'mysql://root@127.0.0.1:3306/sessions'],
      ['redis', 'redis://127.0.0.1:6379'],
    ]) {
      const prompt = scriptedPrompt({ store: store! });
      await resolveOptions({}, prompt.ask);
      assert.equal(prompt.question('storeUrl')?.default, location, store);
    }
    const memory = scriptedPrompt({ store: 'memory' });
    const { options, defaulted } = await resolveOptions({}, memory.ask);
    assert.deepEqual(memory.keys().slice(0, 2), ['store', 'maxAge']);
    assert.equal(options.storeUrl, '');
    assert.equal(defaulted.storeUrl, '');
  });

  it('asks for the trusted proxy right after the proxy, only with --proxy custom, offering uniquelocal', async () => {
    const custom = scriptedPrompt({ proxy: 'custom' });
    const { options } = await resolveOptions({}, custom.ask);
    const keys = custom.keys();
    assert.equal(keys[keys.indexOf('proxy') + 1], 'trustProxy');
    assert.equal(custom.question('trustProxy')?.default, 'uniquelocal');
    assert.equal(options.trustProxy, 'uniquelocal');
    assert.equal(resolveOptions({ proxy: 'custom' }).defaulted.trustProxy, 'uniquelocal');

    for (const proxy of PROXIES.filter((p) => !p.takesTrustProxy)) {
      const prompt = scriptedPrompt({ proxy: proxy.id });
      const resolved = await resolveOptions({}, prompt.ask);
      assert.ok(!prompt.keys().includes('trustProxy'), `${proxy.id}: not asked`);
      // No default either: the setup's own value is the result, and no note names --trust-proxy.
      assert.ok(!('trustProxy' in resolved.defaulted), proxy.id);
      assert.ok(!('trustProxy' in resolveOptions({ proxy: proxy.id }).defaulted), proxy.id);
      assert.equal(resolved.options.trustProxy, proxy.trustProxy, proxy.id);
    }
  });

  it('offers custom as the proxy when --trust-proxy is given, and nginx otherwise', async () => {
    const plain = scriptedPrompt();
    await resolveOptions({}, plain.ask);
    assert.equal(plain.question('proxy')?.default, 'nginx');
    const trusting = scriptedPrompt();
    const { options } = await resolveOptions({ trustProxy: '10.0.0.5' }, trusting.ask);
    assert.equal(trusting.question('proxy')?.default, 'custom');
    assert.ok(!trusting.keys().includes('trustProxy'), 'the flag answered it');
    assert.equal(options.trustProxy, '10.0.0.5');
    assert.equal(resolveOptions({}).defaulted.proxy, 'nginx');
    assert.equal(resolveOptions({ trustProxy: '10.0.0.5' }).defaulted.proxy, 'custom');
  });

  it('asks nothing that a flag gave: every prompt given, nothing asked', async () => {
    const prompt = scriptedPrompt();
    const { asked, answers } = await resolveOptions({ ...EVERY_PROMPT, pm: 'npm' }, prompt.ask);
    assert.deepEqual(prompt.asked, []);
    assert.deepEqual(asked, []);
    assert.deepEqual(answers, { ...EVERY_PROMPT, pm: 'npm' });
  });

  it('asks only what no flag gave: all but the domain, only the domain', async () => {
    const { domain: _, ...allButDomain } = EVERY_PROMPT;
    const prompt = scriptedPrompt({ domain: 'app.example.com' });
    const { asked, answers, options } = await resolveOptions(allButDomain, prompt.ask);
    assert.deepEqual(prompt.keys(), ['domain']);
    assert.deepEqual(asked, ['domain']);
    assert.equal(answers.domain, 'app.example.com');
    assert.equal(options.domain, 'app.example.com');
  });

  it('refuses an answer with the message the flag would get, and asks again', async () => {
    const prompt = scriptedPrompt({ port: ['99999', '8080'], maxAge: '2h', absoluteTimeout: ['1h', 'none'] });
    const { options, answers } = await resolveOptions({}, prompt.ask);
    assert.deepEqual(
      prompt.refused.map(({ key, value }) => [key, value]),
      [
        ['absoluteTimeout', '1h'],
        ['port', '99999'],
      ],
    );
    assert.match(prompt.refused[0]!.message, /^Invalid --absolute-timeout "1h": it is shorter than --max-age 2h/);
    assert.match(prompt.refused[1]!.message, /^Invalid --port "99999": use a whole number from 1 to 65535/);
    assert.equal(options.port, 8080);
    assert.equal(options.absoluteTimeout, null);
    assert.equal(answers.port, '8080');
  });

  it('checks a store location against the store chosen before it, password masked', async () => {
    const prompt = scriptedPrompt({ store: 'redis', storeUrl: ['postgres://app:s3cret@db/x', 'rediss://cache:6380'] });
    const { options } = await resolveOptions({}, prompt.ask);
    assert.equal(prompt.refused.length, 1);
    assert.match(
      prompt.refused[0]!.message,
      /^Invalid --store-url "postgres:\/\/app:\*\*\*@db\/x": Redis takes redis:\/\/ or rediss:\/\//,
    );
    assert.equal(options.storeUrl, 'rediss://cache:6380');
  });

  it('refuses an invalid flag as soon as its turn comes, before asking what follows it', async () => {
    const store = scriptedPrompt();
    await assert.rejects(
      resolveOptions({ store: 'sqlit' }, store.ask),
      (error) => error instanceof UsageError && /Did you mean --store sqlite\?/.test(error.message),
    );
    assert.deepEqual(store.asked, []);
    const maxAge = scriptedPrompt();
    await assert.rejects(resolveOptions({ maxAge: '30 minutes' }, maxAge.ask), /Invalid --max-age "30 minutes"/);
    assert.deepEqual(maxAge.keys(), ['store', 'storeUrl']);
  });

  it('stops at a cancelled prompt and asks nothing more', async () => {
    const keys: string[] = [];
    const cancelled = resolveOptions({}, async (question) => {
      keys.push(question.key);
      if (question.key === 'rolling') throw new CancelledError();
      return question.default;
    });
    await assert.rejects(cancelled, CancelledError);
    assert.deepEqual(keys, ['store', 'storeUrl', 'maxAge', 'rolling']);
  });
});

describe('resolveOptions without prompts (--yes, no terminal)', () => {
  it('returns at once, takes the defaults in table order, and names only those that apply', () => {
    const { options, asked, answers, defaulted } = resolveOptions({ domain: 'app.example.com' });
    assert.deepEqual(asked, []);
    assert.deepEqual(answers, { domain: 'app.example.com' });
    assert.deepEqual(Object.keys(defaulted), [
      'store',
      'storeUrl',
      'maxAge',
      'rolling',
      'absoluteTimeout',
      'proxy',
      'port',
      'typescript',
      'pm',
      'install',
      'git',
    ]);
    assert.equal(defaulted.store, 'sqlite');
    assert.equal(defaulted.port, '3000');
    assert.equal(options.domain, 'app.example.com');
  });
});
