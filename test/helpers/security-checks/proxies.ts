// The checks about what the app believes of its proxy: X-Forwarded-* only from the proxy, the
// login throttle per real client, and no proxy header a client wrote reaching the app. Rows #9, #11, #23.
import assert from 'node:assert/strict';
import { DOMAIN, PASSWORD, USER } from '../constants.ts';
import { type Client } from '../https-client.ts';
import type { Echoed } from '../security-extra-fronts.ts';
import { getSession } from '../session-contract.ts';
import { assertThrottled, exhaustThrottle, WRONG, type Check } from './steps.ts';

/** #9: X-Forwarded-* only from the proxy. */
export const forwardedOnlyFromProxy: Check = async (d) => {
  const instance = await d.proxyAddress();
  const proxy = d.setup.proxy;
  const claims = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '6.6.6.6' };
  if (proxy !== 'paas') {
    // A direct request from 127.0.0.2 (not the proxy) claiming to have come over HTTPS from 6.6.6.6.
    const direct = (from: string, headers = claims) => instance.direct({ localAddress: from, headers });
    if (proxy !== 'none') {
      const res = await direct('127.0.0.2').get('/session', { jar: d.jar() });
      // Production redirects plain-HTTP pages to HTTPS; either way, no cookie.
      assert.ok(
        res.status === 200 || (res.status === 301 && /^https:/.test(String(res.headers.location))),
        `direct GET /session: ${res.status} ${res.text}`,
      );
      assert.deepEqual(
        res.setCookies,
        [],
        `a direct plain-HTTP request claiming X-Forwarded-Proto: https ` +
          `must not get the Secure cookie: ${JSON.stringify(res.setCookies)}`,
      );
    }
    // req.ip, seen through the login throttle: ten failures from 127.0.0.2 claiming 6.6.6.6 ...
    const jar = d.jar();
    const { token } = await getSession(instance.https(), jar); // a session and its token, to send directly
    await exhaustThrottle(() => direct('127.0.0.2'), jar, token, 'direct from 127.0.0.2 claiming 6.6.6.6');
    // ... throttle 127.0.0.2 whatever it claims, and not 6.6.6.6 when another address claims it.
    const failOnce = (c: Client) =>
      c.post('/login', {
        jar: jar.clone(),
        json: { username: USER, password: WRONG },
        headers: { 'x-csrf-token': token },
      });
    assertThrottled(
      await failOnce(direct('127.0.0.2', { ...claims, 'x-forwarded-for': '7.7.7.7' })),
      '127.0.0.2 claiming another address: req.ip is the peer, 127.0.0.2',
    );
    const other = await failOnce(direct('127.0.0.5'));
    assert.equal(
      other.status,
      401,
      `127.0.0.5 claiming 6.6.6.6 must not share 6.6.6.6's (that ` +
        `is, 127.0.0.2's) throttle: ${other.status} ${other.text}`,
    );
  }
  if (proxy !== 'none') {
    // Through the proxy, each client's own address: 127.0.0.3 throttled, 127.0.0.4 not.
    const c3 = instance.https({ localAddress: '127.0.0.3' });
    const c4 = instance.https({ localAddress: '127.0.0.4' });
    const jar3 = d.jar();
    const { token: token3 } = await getSession(c3, jar3);
    await exhaustThrottle(() => c3, jar3, token3, 'through the proxy from 127.0.0.3');
    const jar4 = d.jar();
    const { token: token4 } = await getSession(c4, jar4);
    const wrong4 = await c4.post('/login', {
      jar: jar4.clone(),
      json: { username: USER, password: WRONG },
      headers: { 'x-csrf-token': token4 },
    });
    assert.equal(
      wrong4.status,
      401,
      `127.0.0.4 through the proxy must not share 127.0.0.3's throttle ` +
        `(req.ip would be the proxy's): ${wrong4.status} ${wrong4.text}`,
    );
    const right4 = await c4.post('/login', {
      jar: jar4,
      json: { username: USER, password: PASSWORD },
      headers: { 'x-csrf-token': token4 },
    });
    assert.equal(right4.status, 200, `127.0.0.4 logs in: ${right4.status} ${right4.text}`);
    assertThrottled(
      await c3.post('/login', {
        jar: jar3.clone(),
        json: { username: USER, password: PASSWORD },
        headers: { 'x-csrf-token': token3 },
      }),
      '127.0.0.3 is still throttled',
    );
  }
};

/** #11: login throttle per real client address. */
export const loginThrottle: Check = async (d) => {
  const instance = await d.proxyAddress();
  // The way a client reaches the app: through the proxy, or straight to it (none).
  const from = (address: string, headers: Record<string, string> = {}) =>
    d.setup.proxy === 'none'
      ? instance.direct({ localAddress: address, headers })
      : instance.https({ localAddress: address, headers });
  const jar = d.jar();
  const { token } = await getSession(from('127.0.0.6'), jar);
  // a new forged X-Forwarded-For on every try
  await exhaustThrottle(
    (i) => from('127.0.0.6', { 'x-forwarded-for': `203.0.113.${i + 1}` }),
    jar,
    token,
    'from 127.0.0.6, a new X-Forwarded-For each time',
  );
  assertThrottled(
    await from('127.0.0.6', { 'x-forwarded-for': '203.0.113.200' }).post('/login', {
      jar: jar.clone(),
      json: { username: USER, password: PASSWORD },
      headers: { 'x-csrf-token': token },
    }),
    'the right password from the throttled address',
  );
  const jar7 = d.jar();
  const { token: token7 } = await getSession(from('127.0.0.7'), jar7);
  const other = await from('127.0.0.7').post('/login', {
    jar: jar7,
    json: { username: USER, password: PASSWORD },
    headers: { 'x-csrf-token': token7 },
  });
  assert.equal(other.status, 200, `another client (127.0.0.7) is not throttled: ${other.status} ${other.text}`);

  if (d.setup.proxy !== 'none') {
    // IPv6 clients as the proxy reports them (these requests come from the proxy's own address,
    // 127.0.0.1, as the proxy's do): one user holds a whole /64, so a new address of the same /64
    // on every try is still one client; another /64 is another client.
    const asProxy = (clientIp: string) =>
      instance.direct({
        localAddress: '127.0.0.1',
        headers: { 'x-forwarded-for': clientIp, 'x-forwarded-proto': 'https' },
      });
    const jar6 = d.jar();
    const { token: token6 } = await getSession(instance.https(), jar6);
    await exhaustThrottle(
      (i) => asProxy(`2001:db8:1:2::${(i + 1).toString(16)}`),
      jar6,
      token6,
      'IPv6 clients of one /64, a new address each try',
    );
    assertThrottled(
      await asProxy('2001:db8:1:2:ffff:ffff:ffff:ffff').post('/login', {
        jar: jar6.clone(),
        json: { username: USER, password: PASSWORD },
        headers: { 'x-csrf-token': token6 },
      }),
      'yet another address of the same /64',
    );
    const otherNet = await asProxy('2001:db8:1:3::1').post('/login', {
      jar: jar6.clone(),
      json: { username: USER, password: WRONG },
      headers: { 'x-csrf-token': token6 },
    });
    assert.equal(otherNet.status, 401, `another /64 is another client: ${otherNet.status} ${otherNet.text}`);
  }
};

/** #23: no client-sent proxy header reaches the app. */
export const proxyHeaders: Check = async (d) => {
  const front = await d.echoFront();
  const mark = 'forged-by-the-client';
  const forged = Object.fromEntries(
    CLIENT_PROXY_HEADERS.map((name) => [
      name,
      name === 'Forwarded' ? `for=6.6.6.6;proto=http;host=evil.example;by=${mark}` : `6.6.6.6, evil.example ${mark}`,
    ]),
  );
  const res = await front
    .https({ localAddress: '127.0.0.3' })
    .get('/account?from=test', { headers: { ...forged, 'x-ordinary': mark } });
  assert.equal(res.status, 200, `GET through the front to the echo server: ${res.status} ${res.text}`);
  const echoed = res.json as Echoed;
  const received = (name: string) => echoed.headers[name.toLowerCase()];
  // the control: the request did go through, and an ordinary header a client writes passes
  assert.equal(received('x-ordinary'), mark, `an ordinary header passes: ${JSON.stringify(echoed.headers)}`);
  // what the proxy sets itself, from what it knows: the client's address, the scheme
  assert.equal(received('x-forwarded-proto'), 'https', 'X-Forwarded-Proto as the proxy set it');
  assert.equal(
    received('x-forwarded-for'),
    '127.0.0.3',
    "X-Forwarded-For: the client's address only, nothing the client wrote before it",
  );
  assert.ok(
    [undefined, '127.0.0.3'].includes(received('x-real-ip') as string | undefined),
    `X-Real-IP: the client's address or none: ${received('x-real-ip')}`,
  );
  assert.ok(
    [undefined, DOMAIN].includes(received('x-forwarded-host') as string | undefined),
    `X-Forwarded-Host: the site's own name or none: ${received('x-forwarded-host')}`,
  );
  // and nothing else: no header the client forged arrives, under its name or copied into another
  const setByProxy = new Set(['x-forwarded-for', 'x-forwarded-proto', 'x-real-ip', 'x-forwarded-host']);
  for (const name of CLIENT_PROXY_HEADERS.filter((n) => !setByProxy.has(n.toLowerCase()))) {
    assert.equal(received(name), undefined, `${name} as the client wrote it reached the app: ${received(name)}`);
  }
  const lines: Array<[string, string]> = [];
  for (let i = 0; i < echoed.rawHeaders.length; i += 2) lines.push([echoed.rawHeaders[i]!, echoed.rawHeaders[i + 1]!]);
  const leaked = lines.filter(
    ([name, value]) =>
      name.toLowerCase() !== 'x-ordinary' && /forged-by-the-client|6\.6\.6\.6|evil\.example/.test(value),
  );
  assert.deepEqual(leaked, [], 'a value the client wrote reached the app');
  assert.equal(front.served, 1, "the echo server, in the app's place, answered the request");
};

/**
 * Headers in which proxies report the client's address, scheme, host, port or path: what code in the
 * app (or a package such as request-ip) might believe. Only the proxy may set them.
 */
const CLIENT_PROXY_HEADERS = [
  'Forwarded',
  'X-Real-IP',
  'X-Forwarded-For',
  'X-Forwarded-Proto',
  'X-Forwarded-Host',
  'X-Forwarded-Port',
  'X-Forwarded-Prefix',
  'X-Forwarded-Server',
  'X-Forwarded-Ssl',
  'X-Forwarded-Scheme',
  'X-Url-Scheme',
  'Front-End-Https',
  'X-Forwarded',
  'Forwarded-For',
  'X-Client-IP',
  'True-Client-IP',
  'X-Cluster-Client-IP',
  'CF-Connecting-IP',
  'Fastly-Client-IP',
];
