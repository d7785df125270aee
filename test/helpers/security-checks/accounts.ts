// The checks about accounts and the store they live in: the login throttle shared by two
// instances, only password hashes stored, and a password change ending the other sessions. Rows #18-#20.
import assert from 'node:assert/strict';
import { changePassword } from '../app-process.ts';
import { PASSWORD, USER } from '../constants.ts';
import { sleep } from '../processes.ts';
import { getSession, logIn } from '../session-contract.ts';
import { assertThrottled, exhaustThrottle, login, WRONG, type Check } from './steps.ts';

/** #18: the login throttle, shared by two instances behind nginx. */
export const sharedThrottle: Check = async (d) => {
  const pair = await d.pair();
  const from = (address: string) => pair.https({ localAddress: address });
  /**
   * Which instance answered each POST /login logged since `mark`, in order, once there are `n` (nginx logs after
   * answering).
   */
  const upstreams = async (mark: number, n: number) => {
    let ports: number[] = [];
    for (const t0 = Date.now(); ports.length < n && Date.now() - t0 < 3000; await sleep(50)) {
      ports = (await pair.accessLog())
        .slice(mark)
        .split('\n')
        .flatMap((l) => (l.includes('"POST /login') ? [Number(/upstream=127\.0\.0\.1:(\d+)/.exec(l)?.[1])] : []));
    }
    return ports;
  };

  // one address, its wrong guesses spread over both instances by nginx (round robin)
  let mark = (await pair.accessLog()).length;
  const jar = d.jar();
  const { token } = await getSession(from('127.0.0.8'), jar);
  await exhaustThrottle(() => from('127.0.0.8'), jar, token, 'from 127.0.0.8 through nginx, over two instances');
  for (let i = 0; i < 2; i++) {
    const res = await from('127.0.0.8').post('/login', {
      jar: jar.clone(),
      json: { username: USER, password: PASSWORD },
      headers: { 'x-csrf-token': token },
    });
    assertThrottled(res, `the right password from the throttled address (${i + 1} of 2)`);
  }
  const spread = await upstreams(mark, 13);
  assert.equal(spread.length, 13, `13 logins in the access log: ${spread.join(', ')}`);
  for (const port of pair.ports) {
    assert.ok(
      spread.slice(0, 10).filter((p) => p === port).length >= 3,
      `instance ${port} should have answered some of the ten 401s: ${spread.join(', ')}`,
    );
    assert.ok(
      spread.slice(11).includes(port),
      `instance ${port} should have refused the right password: ${spread.join(', ')}`,
    );
  }

  // 30 parallel wrong guesses from one more address: counted before the password check, so no race
  mark = (await pair.accessLog()).length;
  const jar9 = d.jar();
  const { token: token9 } = await getSession(from('127.0.0.9'), jar9);
  const answers = await Promise.all(
    Array.from({ length: 30 }, () =>
      from('127.0.0.9').post('/login', {
        jar: jar9.clone(),
        json: { username: USER, password: WRONG },
        headers: { 'x-csrf-token': token9 },
      }),
    ),
  );
  const statuses = answers.map((r) => r.status);
  const count = (status: number) => statuses.filter((s) => s === status).length;
  assert.ok(count(401) <= 10, `30 parallel wrong guesses: at most ten 401s, got ${count(401)}: ${statuses.join(' ')}`);
  assert.equal(count(401) + count(429), 30, `only 401 and 429: ${statuses.join(' ')}`);
  for (const res of answers.filter((r) => r.status === 429)) assertThrottled(res, 'a refused parallel guess');
  const raced = await upstreams(mark, 30);
  for (const port of pair.ports)
    assert.ok(raced.includes(port), `both instances should have taken parallel guesses: ${raced.join(', ')}`);
  console.log(`# ${d.setup.id}: 30 parallel wrong guesses: ${count(401)} × 401, ${count(429)} × 429`);
  assert.doesNotMatch(
    pair.stderr(),
    /express-rate-limit|ValidationError|Error:/,
    `the instances logged an error:\n${pair.stderr()}`,
  );
};

/** #19: only password hashes in the store. */
export const passwordHashes: Check = async (d) => {
  const https = d.main.https();
  const jar = d.jar();
  await getSession(https, jar);
  await login(https, jar); // a login may write to the store (a session, a rehash): look after it
  assert.equal((await getSession(https, jar)).authenticated, true);
  // What a login costs with these parameters, through the proxy: the median of 5, one at a time.
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const other = d.jar();
    const { token } = await getSession(https, other);
    const started = performance.now();
    const res = await https.post('/login', {
      jar: other,
      json: { username: USER, password: PASSWORD },
      headers: { 'x-csrf-token': token },
    });
    times.push(performance.now() - started);
    assert.equal(res.status, 200, `POST /login: ${res.status} ${res.text}`);
  }
  times.sort((a, b) => a - b);
  console.log(
    `# ${d.setup.id}: POST /login takes ${times[2]!.toFixed(0)} ms ` +
      `(median of 5; ${times.map((t) => t.toFixed(0)).join(', ')} ms)`,
  );
  const { hashes, everything } = await d.store.accounts();
  const stored = hashes.get(USER);
  assert.ok(stored !== undefined, `the store holds no account ${USER}: ${[...hashes.keys()].join(', ')}`);
  const match = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/.exec(stored);
  assert.ok(match, `the stored password is not a scrypt hash string: ${stored.slice(0, 20)}…`);
  const [ln, r, p] = match.slice(1).map(Number) as [number, number, number];
  assert.ok(ln >= 17 && r >= 8 && p >= 1, `scrypt parameters below OWASP's N=2^17, r=8, p=1: ln=${ln}, r=${r}, p=${p}`);
  for (const [name, hash] of hashes) assert.match(hash, /^\$scrypt\$/, `account ${name}: not a hash`);
  for (const form of [PASSWORD, encodeURIComponent(PASSWORD), Buffer.from(PASSWORD).toString('base64')]) {
    assert.ok(
      !everything.includes(form),
      `the plaintext password (${form === PASSWORD ? 'as typed' : 'encoded'}) is in the store`,
    );
  }
};

/** #20: a password change ends the user's other sessions. */
export const passwordChange: Check = async (d) => {
  // Two sessions of one user, as from two browsers (every instance reads the same store: the store
  // suite shows a second instance sees what the first wrote).
  const clients = [d.main.https(), d.main.https()];
  const jars = [d.jar(), d.jar()];
  for (const [i, c] of clients.entries()) {
    await getSession(c, jars[i]!);
    await login(c, jars[i]!);
    assert.equal((await getSession(c, jars[i]!)).authenticated, true, `session ${i + 1} is logged in`);
  }
  const env = d.env(d.main.appPort);
  const changed = `${PASSWORD} (changed)`;
  await changePassword(d.app.dir, env, { name: USER, password: changed });
  try {
    for (const [i, c] of clients.entries()) {
      assert.equal(
        (await getSession(c, jars[i]!)).authenticated,
        false,
        `session ${i + 1} must be anonymous after user:passwd`,
      );
    }
    const fresh = d.jar();
    const { token } = await getSession(clients[0]!, fresh);
    const old = await clients[0]!.post('/login', {
      jar: fresh,
      json: { username: USER, password: PASSWORD },
      headers: { 'x-csrf-token': token },
    });
    assert.equal(old.status, 401, `the old password must not log in: ${old.status} ${old.text}`);
    await logIn(clients[0]!, d.jar(), { username: USER, password: changed }); // the new password logs in (asserts 200)
  } finally {
    await changePassword(d.app.dir, env, { name: USER, password: PASSWORD }); // for the rows after this one
  }
};
