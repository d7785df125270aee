// An unchanged session's expiry is written to the store only once it has fallen behind
// (touchOnlyWhenBehind in src/session.ts), and the idle timeout that leaves is never looser. Run on
// express-session's own MemoryStore, with the clock in the test's hands.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, mock, test } from 'node:test';
import express from 'express';
import session from 'express-session';
import { TOUCH_SLACK, touchOnlyWhenBehind } from '../src/session.ts';

const LIFETIME_MS = 30 * 60 * 1000;
const SLACK_MS = TOUCH_SLACK * LIFETIME_MS;

describe('the store is touched only when a session has fallen behind', () => {
  const store = new session.MemoryStore();
  const written: number[] = []; // the expiries store.touch wrote
  const touch = store.touch.bind(store);
  store.touch = (sid, data, callback) => {
    written.push(new Date(data.cookie.expires!).getTime());
    touch(sid, data, callback);
  };
  touchOnlyWhenBehind(store);

  const app = express();
  app.use(
    session({
      store,
      secret: 'a-test-secret-that-is-long-enough-0123456789',
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: { maxAge: LIFETIME_MS },
    }),
  );
  app.post('/login', (req, res) => {
    req.session.authenticatedAt = Date.now();
    res.end();
  });
  app.get('/', (req, res) => res.json({ loggedIn: typeof req.session.authenticatedAt === 'number' }));

  let server: http.Server;
  let url: string;
  before(async () => {
    server = http.createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
  });
  after(() => {
    mock.timers.reset();
    server.close();
  });

  async function login(): Promise<{ cookie: string; sid: string }> {
    const response = await fetch(`${url}/login`, { method: 'POST' });
    const cookie = response.headers.get('set-cookie')!.split(';')[0];
    const sid = decodeURIComponent(cookie.split('=')[1]).slice(2).split('.')[0];
    return { cookie, sid };
  }

  async function request(cookie: string): Promise<void> {
    const response = await fetch(url, { headers: { cookie } });
    assert.deepEqual(await response.json(), { loggedIn: true });
  }

  const storedExpiry = (sid: string) =>
    new Promise<number>((resolve, reject) =>
      store.get(sid, (err, data) =>
        err || !data ? reject(err ?? new Error('no session')) : resolve(new Date(data.cookie.expires!).getTime()),
      ),
    );

  test(`written only after falling behind by more than ${TOUCH_SLACK * 100}% of the lifetime`, async () => {
    const { cookie } = await login();
    written.length = 0;
    mock.timers.tick(SLACK_MS / 2);
    await request(cookie);
    await request(cookie);
    assert.deepEqual(written, [], 'half the slack behind: not written');
    mock.timers.tick(SLACK_MS);
    await request(cookie);
    assert.deepEqual(written, [Date.now() + LIFETIME_MS], 'more than the slack behind: written once, with its new end');
    await request(cookie);
    assert.equal(written.length, 1, 'and not again at once');
  });

  test('the stored end is at most the last request plus the lifetime, and at most the slack less', async () => {
    const { cookie, sid } = await login();
    for (const step of [1, SLACK_MS / 3, SLACK_MS / 3, SLACK_MS / 3, SLACK_MS / 3, SLACK_MS * 2, 5]) {
      mock.timers.tick(step);
      await request(cookie);
      const end = await storedExpiry(sid);
      assert.ok(end <= Date.now() + LIFETIME_MS, 'never looser than the idle timeout');
      assert.ok(end >= Date.now() + LIFETIME_MS - SLACK_MS, 'at most the slack stricter');
    }
  });
});
