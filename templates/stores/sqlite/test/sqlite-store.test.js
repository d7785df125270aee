// The SQLite store on its own: expired sessions are never handed back and get pruned, and its
// prune timer never keeps the process alive.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SqliteStore } from '../src/sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'sqlite-store-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// express-session's store API takes callbacks; promises read better in tests.
const call = (store, method, ...args) =>
  new Promise((resolve, reject) => store[method](...args, (err, value) => (err ? reject(err) : resolve(value))));
const session = (expiresInMs) => ({
  cookie: { expires: new Date(Date.now() + expiresInMs).toISOString() },
  user: { name: 'demo' },
});
const rows = (store) => store.db.prepare('SELECT COUNT(*) AS n FROM sessions').get().n;

test('an expired session is never handed back, and is deleted when asked for', async () => {
  const store = new SqliteStore({ path: join(dir, 'expired.db') });
  try {
    await call(store, 'set', 'gone', session(-1000));
    assert.equal(await call(store, 'get', 'gone'), null);
    assert.equal(rows(store), 0);
  } finally {
    store.close();
  }
});

test('prune deletes expired sessions and keeps live ones', async () => {
  const store = new SqliteStore({ path: join(dir, 'prune.db') });
  try {
    await call(store, 'set', 'live', session(60_000));
    await call(store, 'set', 'old-1', session(-1));
    await call(store, 'set', 'old-2', session(-60_000));
    store.prune();
    assert.equal(rows(store), 1);
    assert.deepEqual((await call(store, 'get', 'live')).user, { name: 'demo' });
  } finally {
    store.close();
  }
});

test('sessions live in the file: a second store on it sees them', async () => {
  const path = join(dir, 'shared.db');
  const first = new SqliteStore({ path });
  await call(first, 'set', 'kept', session(60_000));
  first.close();
  const second = new SqliteStore({ path });
  try {
    assert.deepEqual((await call(second, 'get', 'kept')).user, { name: 'demo' });
  } finally {
    second.close();
  }
});

test('an open store with its prune timer does not keep the process alive', () => {
  const storeUrl = new URL('../src/sqlite-store.js', import.meta.url).href;
  const script = `import { SqliteStore } from ${JSON.stringify(storeUrl)};
    new SqliteStore({ path: ${JSON.stringify(join(dir, 'alive.db'))}, pruneEveryMs: 1000 });`;
  const result = spawnSync(process.execPath, ['--input-type=module', '--eval', script], { timeout: 10_000 });
  assert.equal(result.error, undefined, 'the process did not exit on its own');
  assert.equal(result.status, 0, result.stderr.toString());
});
