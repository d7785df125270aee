// Accounts in the app's own store: the rules for names and passwords, hashes, and what a change ends.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hashPassword } from '../src/passwords.ts';
import { PASSWORD, sessionCookie, setCookie, startApp } from './helpers.ts';
import type { TestApp } from './helpers.ts';

describe("accounts, in the app's own store", () => {
  let app: TestApp;
  before(async () => {
    app = await startApp();
  });
  after(async () => {
    await app.forgetFailedLogins('127.0.0.1'); // the wrong passwords below, so repeated runs are not throttled
    await app.stop();
  });
  // Names of their own, so a shared database server keeps no leftovers from other runs in the way.
  const unique = (label: string) => `${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  async function loginAs(username: string, password: string) {
    const first = await fetch(`${app.url}/session`);
    const cookie = setCookie(first, 'csrf')!; // the anonymous token's cookie
    const response = await fetch(`${app.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': (await first.json()).csrfToken },
      body: JSON.stringify({ username, password }),
    });
    return { response, cookie: sessionCookie(response) ?? cookie };
  }
  const authenticated = async (cookie: string) => {
    const response = await fetch(`${app.url}/session`, { headers: { cookie } });
    return (await response.json()).authenticated;
  };

  test('add refuses a taken name, a malformed name and a short password, saying the rule', async () => {
    const name = unique('ada');
    await app.accounts.add(name, PASSWORD);
    try {
      await assert.rejects(app.accounts.add(name, PASSWORD), /exists already/);
      await assert.rejects(app.accounts.add('Ada Lovelace', PASSWORD), /user name is 1 to 64 characters/);
      await assert.rejects(app.accounts.add('', PASSWORD), /user name/);
      await assert.rejects(app.accounts.add(unique('bob'), 'too short'), /at least 15 characters/);
      assert.ok((await app.accounts.list()).includes(name));
    } finally {
      await app.accounts.remove(name);
    }
    assert.ok(!(await app.accounts.list()).includes(name));
  });

  test('only a hash is stored, and an unknown name gets the same 401 as a wrong password', async () => {
    const name = unique('ada');
    await app.accounts.add(name, PASSWORD);
    try {
      const row = (await app.accounts.users.find(name))!;
      assert.match(row.passwordHash, /^\$scrypt\$ln=17,r=8,p=1\$/);
      assert.ok(!row.passwordHash.includes(PASSWORD));
      const wrong = await loginAs(name, 'not the password at all');
      const unknown = await loginAs(unique('nobody'), 'not the password at all');
      assert.equal(wrong.response.status, 401);
      assert.equal(unknown.response.status, 401);
      assert.deepEqual(await wrong.response.json(), await unknown.response.json());
      assert.equal((await loginAs(name, PASSWORD)).response.status, 200);
    } finally {
      await app.accounts.remove(name);
    }
  });

  test('a hash made with weaker parameters is replaced at the next successful login', async () => {
    const name = unique('old');
    await app.accounts.users.insert(name, await hashPassword(PASSWORD, { ln: 14, r: 8, p: 1 }));
    try {
      assert.equal((await loginAs(name, 'a wrong password, long enough')).response.status, 401);
      assert.match((await app.accounts.users.find(name))!.passwordHash, /ln=14,/, 'a failed login changes nothing');
      assert.equal((await loginAs(name, PASSWORD)).response.status, 200);
      const upgraded = (await app.accounts.users.find(name))!;
      assert.match(upgraded.passwordHash, /^\$scrypt\$ln=17,r=8,p=1\$/);
      assert.equal(upgraded.version, 1, 'a rehash is no password change: sessions go on');
    } finally {
      await app.accounts.remove(name);
    }
  });

  test('a password change ends every session of that user; a removal too', async () => {
    const name = unique('ada');
    await app.accounts.add(name, PASSWORD);
    try {
      const one = (await loginAs(name, PASSWORD)).cookie;
      const two = (await loginAs(name, PASSWORD)).cookie;
      assert.equal(await authenticated(one), true);
      await app.accounts.changePassword(name, `${PASSWORD} again`);
      assert.equal(await authenticated(one), false);
      assert.equal(await authenticated(two), false);
      assert.equal((await loginAs(name, PASSWORD)).response.status, 401, 'the old password is gone');
      const three = (await loginAs(name, `${PASSWORD} again`)).cookie;
      assert.equal(await authenticated(three), true);
      await app.accounts.remove(name);
      assert.equal(await authenticated(three), false);
    } finally {
      await app.accounts.remove(name).catch(() => {});
    }
  });
});
