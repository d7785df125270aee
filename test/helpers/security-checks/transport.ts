// The checks about plain HTTP: it never gets a cookie, every HTTPS answer has one HSTS header,
// and the redirect to HTTPS names the configured host whatever the request says. Rows #2 and #22.
import assert from 'node:assert/strict';
import { DOMAIN, PASSWORD, USER } from '../constants.ts';
import type { Response } from '../https-client.ts';
import { assertOneHsts } from '../session-contract.ts';
import { login, type Check } from './steps.ts';

/** #2: plain HTTP never gets a cookie; HSTS exactly once. */
export const plainHttpAndHsts: Check = async (d) => {
  const https = d.main.https();
  const jar = d.jar();
  await login(https, jar);
  const paths = ['/', '/session', '/health', '/assets/app.js', '/no-such-page'];
  for (const [label, j] of [
    ['anonymous', d.jar()],
    ['logged in', jar],
  ] as const) {
    for (const path of paths) {
      assertOneHsts(await https.get(path, { jar: j.clone() }), `GET ${path} (${label})`);
    }
  }

  const proxy = d.setup.proxy;
  if (proxy === 'nginx' || proxy === 'caddy') {
    // The proxy's port 80 only redirects, whatever the request, and never sets a cookie.
    for (const [method, path, body] of [
      ['GET', '/session?x=1', undefined],
      ['GET', '/', undefined],
      ['POST', '/login', { username: USER, password: PASSWORD }],
    ] as const) {
      const res = await d.main.http().request({ method, path, jar: jar.clone(), json: body });
      assert.ok(
        [301, 302, 307, 308].includes(res.status),
        `plain HTTP ${method} ${path}: expected a redirect, got ${res.status} ${res.text}`,
      );
      const location = String(res.headers.location);
      assert.ok(
        location.startsWith(`https://${DOMAIN}`),
        `plain HTTP ${method} ${path}: should redirect to https://${DOMAIN}…, not ${location}`,
      );
      assert.ok(
        location.endsWith(path),
        `plain HTTP ${method} ${path}: the redirect should keep the path: ${location}`,
      );
      assert.deepEqual(res.setCookies, [], `plain HTTP ${method} ${path}: no Set-Cookie`);
    }
  } else if (proxy === 'none') {
    // The app's only port speaks TLS: plain HTTP is refused (an error, or a 4xx), never answered with a cookie.
    const res = await d.main
      .http()
      .get('/session', { jar: d.jar(), timeoutMs: 5000 })
      .catch((error: Error) => error);
    if (!(res instanceof Error)) {
      assert.ok(res.status >= 400, `plain HTTP to the app's TLS port should not be served: ${res.status} ${res.text}`);
      assert.deepEqual(res.setCookies, [], 'plain HTTP must never get a session cookie');
    }
  } else {
    // paas, custom: the router / proxy forwards plain HTTP with X-Forwarded-Proto: http. The app
    // must not send the Secure cookie over it (a browser would drop it, and it must never travel in clear).
    for (const [method, path, body] of [
      ['GET', '/session', undefined],
      ['POST', '/login', { username: USER, password: PASSWORD }],
    ] as const) {
      const res = await d.main.http().request({ method, path, jar: d.jar(), json: body });
      assert.ok(res.status < 500, `plain HTTP ${method} ${path} through the front: ${res.status} ${res.text}`);
      assert.deepEqual(
        res.setCookies,
        [],
        `plain HTTP ${method} ${path} (X-Forwarded-Proto: http from the trusted front): no Set-Cookie`,
      );
    }
  }
};

/** #22: the HTTPS redirect's host is pinned. */
export const pinnedRedirectHost: Check = async (d) => {
  const evil = 'evil.example';
  const forgeries: Array<[string, Record<string, string>]> = [
    [`X-Forwarded-Host: ${evil}`, { 'x-forwarded-host': evil }],
    [`Host: ${evil}`, { host: evil }],
    [`Host and X-Forwarded-Host: ${evil}`, { host: evil, 'x-forwarded-host': evil }],
  ];
  const path = '/account?next=%2Fsession';
  const assertPinned = (res: Response | Error, what: string, { mayRefuse = false } = {}) => {
    if (res instanceof Error) return assert.ok(mayRefuse, `${what}: ${res.message}`); // nginx's 444: no answer at all
    assert.ok([301, 302, 307, 308].includes(res.status), `${what}: expected a redirect, got ${res.status} ${res.text}`);
    // (the test's Caddy listens on another port than 443 and names it in its redirect)
    const location = new URL(String(res.headers.location));
    assert.deepEqual(
      [location.protocol, location.hostname, `${location.pathname}${location.search}`],
      ['https:', DOMAIN, path],
      `${what}: the redirect must name the configured host and keep the path: ${location.href}`,
    );
    assert.deepEqual(res.setCookies, [], `${what}: no Set-Cookie`);
  };
  const proxy = d.setup.proxy;
  // Through the front's plain-HTTP port: paas and custom forward it to the app; nginx and Caddy
  // redirect by themselves. Caddy's automatic redirect for a Host it does not serve names that
  // Host (Caddy's own catch-all route): only the client that forged it is sent there, so only
  // X-Forwarded-Host is forged at Caddy's port.
  const atFront = proxy === 'caddy' ? forgeries.filter(([, headers]) => !('host' in headers)) : forgeries;
  for (const [what, headers] of atFront) {
    const res = await d.main
      .http()
      .get(path, { headers, jar: d.jar(), timeoutMs: 5000 })
      .catch((error: Error) => error);
    assertPinned(res, `plain HTTP GET ${path} with ${what}`, { mayRefuse: proxy === 'nginx' && 'host' in headers });
  }
  if (proxy === 'nginx' || proxy === 'caddy') {
    // The app's own redirect, which their redirect hides: straight to the app's port from loopback
    // (believed by TRUST_PROXY=loopback), as a plain-HTTP request forwarded with the forged headers.
    for (const [what, headers] of forgeries) {
      const res = await d.main
        .direct({ headers: { 'x-forwarded-proto': 'http', ...headers } })
        .get(path, { jar: d.jar() });
      assertPinned(res, `GET ${path} straight to the app, X-Forwarded-Proto: http and ${what}`);
    }
  }
};
