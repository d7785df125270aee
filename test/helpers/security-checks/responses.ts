// The checks of what every response carries: helmet's headers and no-store, and production errors
// without a stack trace. Rows #12 and #13.
import assert from 'node:assert/strict';
import { USER } from '../constants.ts';
import { headerValues, type Client, type CookieJar, type Response } from '../https-client.ts';
import { getSession } from '../session-contract.ts';
import { assertNothingLogged, login, type Check } from './steps.ts';

/** #12: headers. */
export const securityHeaders: Check = async (d) => {
  const https = d.main.https();
  const jar = d.jar();
  const responses: Array<[string, Response]> = [];
  for (const path of ['/', '/assets/app.js', '/health', '/no-such-page'])
    responses.push([`GET ${path}`, await https.get(path)]);
  const anonymous = await getSession(https, jar);
  responses.push(['GET /session (anonymous)', anonymous.res]);
  const { res: loginRes } = await login(https, jar);
  responses.push(['POST /login', loginRes]);
  const authenticated = await getSession(https, jar);
  assert.equal(authenticated.authenticated, true);
  responses.push(['GET /session (logged in)', authenticated.res]);
  for (const [what, res] of responses) {
    const one = (name: string): string => {
      const values = headerValues(res, name);
      assert.equal(values.length, 1, `${what}: expected exactly one ${name} header, got ${JSON.stringify(values)}`);
      return values[0]!;
    };
    const csp = one('content-security-policy');
    const directives = new Map(
      csp
        .split(';')
        .map((d) => d.trim())
        .filter(Boolean)
        .map((d) => [d.split(/\s+/)[0]!.toLowerCase(), d.split(/\s+/).slice(1).join(' ')]),
    );
    // Mozilla's HTTP Observatory gives full CSP credit only from default-src 'none'.
    assert.equal(directives.get('default-src'), "'none'", `${what}: CSP default-src 'none': ${csp}`);
    assert.equal(directives.get('frame-ancestors'), "'none'", `${what}: CSP frame-ancestors 'none': ${csp}`);
    assert.doesNotMatch(
      csp,
      /unsafe-inline|unsafe-eval|unsafe-hashes|\*/,
      `${what}: no unsafe source and no wildcard: ${csp}`,
    );
    for (const [name, sources] of directives) {
      if (['default-src', 'frame-ancestors', 'base-uri', 'upgrade-insecure-requests'].includes(name)) continue;
      const allowed = name === 'img-src' ? ["'self'", 'data:'] : ["'self'"];
      assert.deepEqual(
        sources.split(' ').filter((s) => !allowed.includes(s)),
        [],
        `${what}: ${name} allows only ${allowed.join(' ')}: ${csp}`,
      );
    }
    assert.equal(directives.get('base-uri'), "'none'", `${what}: CSP base-uri 'none': ${csp}`);
    assert.equal(one('x-content-type-options'), 'nosniff', what);
    assert.match(
      one('referrer-policy'),
      /^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/,
      what,
    );
    // SAMEORIGIN would contradict frame-ancestors 'none'
    assert.equal(one('x-frame-options'), 'DENY', `${what}: X-Frame-Options`);
    assert.deepEqual(headerValues(res, 'x-powered-by'), [], `${what}: X-Powered-By must be absent`);
    assert.deepEqual(headerValues(res, 'access-control-allow-origin'), [], `${what}: no CORS`);
  }
  for (const [what, res] of responses.filter(([w]) => /session|login/.test(w))) {
    assert.match(
      String(res.headers['cache-control']),
      /\bno-store\b/,
      `${what}: Cache-Control: no-store (${res.headers['cache-control']})`,
    );
  }
  const logout = await https.post('/logout', { jar, headers: { 'x-csrf-token': authenticated.token } });
  assert.match(
    String(logout.headers['cache-control']),
    /\bno-store\b/,
    `POST /logout: Cache-Control: no-store (${logout.headers['cache-control']})`,
  );
};

/** #13: production errors. */
export const productionErrors: Check = async (d) => {
  const https = d.main.https();
  const mark = d.main.stderr().length;
  const jar = d.jar();
  const { token } = await getSession(https, jar); // anonymous: every unsafe request needs the token (#16)
  const loggedJar = d.jar();
  const { token: sessionToken } = await login(https, loggedJar);
  const leak = /\n\s*at\s|\bat [\w.<>]+ \(|node_modules|\/src\/|\.js:\d+|\/tmp\/|\/work\/|"stack"/;
  /** A POST /login with this body, content type and CSRF token, from a copy of `from`. */
  const loginPost = (from: CookieJar, csrf: string, body: string, contentType = 'application/json') => ({
    jar: from.clone(),
    body,
    headers: { 'content-type': contentType, 'x-csrf-token': csrf },
  });
  const tooLong = JSON.stringify({ username: USER, password: 'x'.repeat(20_000) });
  const cases: Array<[string, Parameters<Client['post']>[1], number]> = [
    ['malformed JSON, logged out, with the token', loginPost(jar, token, '{"username": "alice", "password": '), 400],
    ['malformed JSON with a session and its token', loginPost(loggedJar, sessionToken, '{"username": alice}'), 400],
    ['a JSON body over the 10 kB limit', loginPost(jar, token, tooLong), 413],
    ['an unsupported charset', loginPost(jar, token, '{}', 'application/json; charset=latin1'), 415],
  ];
  for (const [what, request, status] of cases) {
    const res = await https.post('/login', request);
    assert.equal(res.status, status, `POST /login with ${what}: ${res.status} ${res.text}`);
    assert.match(
      String(res.headers['content-type']),
      /^application\/json\b/,
      `POST /login with ${what}: a JSON answer (${res.headers['content-type']})`,
    );
    assert.equal(
      typeof (res.json as { error?: unknown } | undefined)?.error,
      'string',
      `POST /login with ${what}: {"error": …}: ${res.text}`,
    );
    assert.doesNotMatch(res.text, leak, `POST /login with ${what}: no stack trace or file path: ${res.text}`);
  }
  for (const [method, path] of [
    ['GET', '/no/such/page'],
    ['POST', '/no-such-route'],
    ['GET', '/session/extra'],
    ['DELETE', '/session'],
  ] as const) {
    const res = await https.request({ method, path, jar: jar.clone(), headers: { 'x-csrf-token': token } });
    assert.equal(res.status, 404, `${method} ${path}: ${res.status} ${res.text}`);
    assert.deepEqual(res.json, { error: 'not found' }, `${method} ${path}: a JSON 404: ${res.text}`);
  }
  assertNothingLogged(d.main, mark, 'bad requests');
};
