// Password hashes: the stored format, the strength rule, upgrades of old parameters, and timing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  dummyHash,
  hashPassword,
  MIN_PASSWORD_LENGTH,
  parseHash,
  passwordProblem,
  SCRYPT_PARAMS,
  verifyPassword,
} from '../src/passwords.ts';

const PASSWORD = 'correct horse battery staple';

describe('passwords', () => {
  test('a hash is one self-describing scrypt string with a fresh salt, never the password', async () => {
    const a = await hashPassword(PASSWORD);
    const b = await hashPassword(PASSWORD);
    assert.match(a, /^\$scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.notEqual(a, b, 'a new salt each time');
    assert.ok(!a.includes(PASSWORD));
    assert.deepEqual(parseHash(a)!.params, SCRYPT_PARAMS);
  });

  test("parameters are at least OWASP's for scrypt: N = 2^17, r = 8, p = 1", () => {
    assert.ok(SCRYPT_PARAMS.ln >= 17 && SCRYPT_PARAMS.r >= 8 && SCRYPT_PARAMS.p >= 1);
  });

  test('the right password matches; a wrong one, another type or a broken hash does not', async () => {
    const stored = await hashPassword(PASSWORD);
    assert.deepEqual(await verifyPassword(PASSWORD, stored), { ok: true, outdated: false });
    assert.equal((await verifyPassword(`${PASSWORD}!`, stored)).ok, false);
    assert.equal((await verifyPassword(undefined, stored)).ok, false);
    assert.equal((await verifyPassword({ length: 20 }, stored)).ok, false);
    for (const broken of [
      null,
      '',
      'plaintext',
      stored.replace('ln=17', 'ln=40'),
      stored.replace('$scrypt$', '$bcrypt$'),
    ]) {
      assert.equal((await verifyPassword(PASSWORD, broken)).ok, false, String(broken));
    }
  });

  test('a hash with weaker parameters still matches and says it is outdated', async () => {
    const old = await hashPassword(PASSWORD, { ln: 14, r: 8, p: 1 });
    assert.deepEqual(await verifyPassword(PASSWORD, old), { ok: true, outdated: true });
    assert.deepEqual(await verifyPassword('wrong password, long enough', old), { ok: false, outdated: false });
  });

  test('the same password in another Unicode form matches (NFKC)', async () => {
    const stored = await hashPassword('ﬁne café passphrase'); // the ﬁ ligature, é precomposed
    assert.equal((await verifyPassword('fine cafe\u0301 passphrase', stored)).ok, true);
  });

  test(`a new password needs at least ${MIN_PASSWORD_LENGTH} characters, and the rule says so`, () => {
    assert.match(passwordProblem('short password')!, /at least 15 characters.*NIST SP 800-63B/);
    assert.equal(passwordProblem('a'.repeat(15)), undefined);
    assert.equal(passwordProblem('🔑'.repeat(15)), undefined, 'characters, not UTF-16 units');
    assert.ok(passwordProblem('x'.repeat(5000)));
    assert.ok(passwordProblem(undefined));
  });

  test('hashing runs off the event loop, and an unknown user costs what a wrong password costs', async (t) => {
    const stored = await hashPassword(PASSWORD);
    await dummyHash();
    let ticks = 0;
    const ticker = setInterval(() => {
      ticks += 1;
    }, 5);
    const time = async (work: () => Promise<unknown>) => {
      const started = performance.now();
      await work();
      return performance.now() - started;
    };
    // Taken in turns, the median of 3 each, so a busy machine slows both alike.
    const wrongs: number[] = [];
    const unknowns: number[] = [];
    for (let i = 0; i < 3; i++) {
      wrongs.push(await time(() => verifyPassword('a wrong password here', stored)));
      unknowns.push(await time(async () => verifyPassword('a wrong password here', await dummyHash())));
    }
    clearInterval(ticker);
    const median = (values: number[]) => values.sort((a, b) => a - b)[1]!;
    const wrong = median(wrongs);
    const unknown = median(unknowns);
    assert.ok(ticks > 0, 'the event loop kept running while scrypt worked');
    assert.ok(Math.abs(wrong - unknown) < Math.max(wrong, unknown) * 0.5, `wrong ${wrongs} ms, unknown ${unknowns} ms`);
    t.diagnostic(
      `scrypt ln=${SCRYPT_PARAMS.ln},r=${SCRYPT_PARAMS.r},p=${SCRYPT_PARAMS.p}: one check takes ${wrong.toFixed(0)} ms`,
    );
  });
});
