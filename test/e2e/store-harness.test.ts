// The harness of the store suite checked on its own, so a failure there is not mistaken for a bug
// in the generated app: the TCP forwarder really cuts and restores the path to a server, and the
// nginx rewrite really puts several instances behind the upstream.
import assert from 'node:assert/strict';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { rewriteSiteConf } from '../helpers/nginx.ts';
import { isListening } from '../helpers/ports.ts';
import { sessionIdFromCookie } from '../helpers/store-clients.ts';
import { startForwarder, type TcpForwarder } from '../helpers/tcp-forwarder.ts';

/** Sends `text`, resolves with the first chunk echoed back; rejects on error or close. */
function roundTrip(socket: Socket, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const onClose = () => reject(new Error('closed'));
    socket.once('error', reject);
    socket.once('close', onClose);
    socket.once('data', (chunk) => {
      socket.off('error', reject);
      socket.off('close', onClose);
      resolve(chunk.toString());
    });
    socket.write(text);
  });
}

function connect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('test harness: TCP forwarder', () => {
  let echo: Server;
  let echoPort: number;
  let forwarder: TcpForwarder;
  const sockets: Socket[] = [];

  before(async () => {
    echo = createServer((s) => {
      sockets.push(s);
      s.pipe(s);
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    echoPort = (echo.address() as { port: number }).port;
    forwarder = await startForwarder({ host: '127.0.0.1', port: echoPort });
  });

  after(async () => {
    for (const s of sockets) s.destroy();
    await forwarder?.close();
    await new Promise((resolve) => echo.close(resolve));
  });

  it('forwards, goes down (refuses and cuts open connections), and comes back on the same port', async () => {
    const a = await connect(forwarder.port);
    sockets.push(a);
    assert.equal(await roundTrip(a, 'hello'), 'hello');
    assert.equal(forwarder.accepted, 1);

    const closed = new Promise((resolve) => a.once('close', resolve));
    await forwarder.down();
    await closed; // the open connection was cut
    assert.equal(forwarder.listening, false);
    assert.equal(await isListening(forwarder.port), false, 'down: new connections are refused');
    assert.equal(forwarder.open, 0);

    await forwarder.up();
    const b = await connect(forwarder.port);
    sockets.push(b);
    assert.equal(await roundTrip(b, 'again'), 'again');
  });

  it(
    'stalls (keeps connections open, accepts new ones, ' + 'forwards nothing), and up() cuts them and forwards again',
    async () => {
      const a = await connect(forwarder.port);
      sockets.push(a);
      assert.equal(await roundTrip(a, 'one'), 'one');
      forwarder.stall();
      const silent = (s: Socket) =>
        Promise.race([
          roundTrip(s, 'anyone?').then(
            () => 'answered',
            () => 'closed',
          ),
          new Promise((r) => setTimeout(() => r('silent'), 300)),
        ]);
      assert.equal(await silent(a), 'silent', 'an open connection gets no answer');
      const b = await connect(forwarder.port); // still accepted
      sockets.push(b);
      assert.equal(await silent(b), 'silent', 'a new connection gets no answer');
      const closed = Promise.all(
        [a, b].map((s) => new Promise((resolve) => (s.destroyed ? resolve(null) : s.once('close', resolve)))),
      );
      await forwarder.up();
      await closed;
      assert.equal(forwarder.stalled, false);
      const c = await connect(forwarder.port);
      sockets.push(c);
      assert.equal(await roundTrip(c, 'back'), 'back');
    },
  );

  it('resumes after a stall: what waited is forwarded, on the same connections', async () => {
    const a = await connect(forwarder.port);
    sockets.push(a);
    assert.equal(await roundTrip(a, 'before'), 'before');
    forwarder.stall();
    const late = roundTrip(a, 'late');
    const b = await connect(forwarder.port);
    sockets.push(b);
    const waited = roundTrip(b, 'waited');
    await new Promise((resolve) => setTimeout(resolve, 200));
    forwarder.resume();
    assert.equal(await late, 'late');
    assert.equal(await waited, 'waited');
  });

  it('refuses a target outside the loopback range', async () => {
    await assert.rejects(startForwarder({ host: '10.0.0.1', port: 6379 }), /non-loopback/);
  });
});

describe('test harness: nginx upstream rewrite and session ids', () => {
  const site = [
    'upstream app_upstream {',
    '    server 127.0.0.1:3000;',
    '    keepalive 16;',
    '}',
    'server {',
    '    listen 443 ssl;',
    '    location / { proxy_pass http://app_upstream; }',
    '}',
  ].join('\n');
  const base = { httpPort: 1, httpsPort: 2, certPath: '/c', keyPath: '/k', logDir: '/l' };

  it('leaves the upstream alone unless asked, and reports it', () => {
    const r = rewriteSiteConf(site, base);
    assert.deepEqual(r.upstreamServers, ['127.0.0.1:3000']);
    assert.match(r.text, /^ {4}server 127\.0\.0\.1:3000;$/m);
  });

  it('lists every given port in the upstream block, and only there', () => {
    const r = rewriteSiteConf(site, { ...base, upstreamPorts: [4001, 4002] });
    assert.match(
      r.text,
      new RegExp(
        String.raw`upstream app_upstream \{\n {4}server 127\.0\.0\.1:4001 max_fails=0;\n ` +
          String.raw`{4}server 127\.0\.0\.1:4002 max_fails=0;\n {4}keepalive 16;\n\}`,
      ),
    );
    assert.doesNotMatch(r.text, /:3000/);
    assert.match(r.text, /listen 127\.0\.0\.1:2 ssl;/);
  });

  it('fails loudly when there is no upstream to rewrite', () => {
    assert.throws(() => rewriteSiteConf('server { listen 80; }', { ...base, upstreamPorts: [1] }), /no `server` line/);
  });

  it('reads the session id out of a signed, URL-encoded cookie value', () => {
    assert.equal(sessionIdFromCookie('s%3AabcDEF_-123.sig%2Bnature'), 'abcDEF_-123');
    assert.throws(() => sessionIdFromCookie('unsigned'), /not a signed session cookie/);
  });
});
