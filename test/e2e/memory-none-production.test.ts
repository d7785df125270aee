// The memory store and no proxy in production (the app: helpers/memory-none-app.ts), in JavaScript
// and generated with --typescript, each started as a process the way its `npm start` would (Node runs
// src/server.ts as it is). Without a proxy the app must serve HTTPS itself (its own certificate, its
// own HSTS header) and must never believe X-Forwarded-* headers; and production must refuse the
// memory store unless it is explicitly allowed. The rest: memory-none-app.test.ts.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { lines, STACK_LINE } from '../helpers/assertions.ts';
import { describeRun } from '../helpers/cli.ts';
import { runAppToExit, startApp, type AppEnv, type RunningApp } from '../helpers/app-process.ts';
import { COOKIE, CSRF_COOKIE, DOMAIN, PASSWORD, USER } from '../helpers/constants.ts';
import { client, CookieJar, findSetCookie, type Client } from '../helpers/https-client.ts';
import { memoryNoneApp } from '../helpers/memory-none-app.ts';
import { freePort } from '../helpers/ports.ts';
import { sessionApi } from '../helpers/session-contract.ts';
import { sessionContractTests } from '../helpers/session-contract-suite.ts';
import { needsTools } from '../helpers/tools.ts';

const LANGUAGES = ['javascript', 'typescript'] as const;

// Only openssl (for the test certificate) is needed: no proxy here. Without it: fails under CI,
// skipped (with the reason) on a developer's machine.
for (const language of LANGUAGES)
  describe(`memory store, no proxy, ${language}: the app serves HTTPS itself`, needsTools('openssl'), () => {
    const fixture = memoryNoneApp({ language });

    describe('refuses to start in production', () => {
      const cases: Array<{ title: string; env: () => AppEnv; mention: RegExp }> = [
        {
          title: 'without ALLOW_MEMORY_STORE=1 (TLS files given)',
          env: () => fixture.prodEnv({ ALLOW_MEMORY_STORE: undefined }),
          mention: /ALLOW_MEMORY_STORE/,
        },
        {
          title: 'with ALLOW_MEMORY_STORE=0',
          env: () => fixture.prodEnv({ ALLOW_MEMORY_STORE: '0' }),
          mention: /ALLOW_MEMORY_STORE/,
        },
        {
          title:
            'with ALLOW_MEMORY_STORE=1 but without TLS_CERT and TLS_KEY (a Secure cookie over HTTP never comes back)',
          env: () => fixture.prodEnv({ TLS_CERT: undefined, TLS_KEY: undefined }),
          mention: /TLS_CERT/,
        },
        {
          title: 'with TLS_CERT naming a file that does not exist',
          env: () => fixture.prodEnv({ TLS_CERT: join(fixture.cert.dir, 'missing.crt') }),
          mention: /TLS_CERT/,
        },
      ];
      for (const { title, env, mention } of cases) {
        it(title, async () => {
          const port = await freePort();
          const result = await runAppToExit({
            dir: fixture.app.dir,
            env: { ...env(), PORT: String(port) },
            timeoutMs: 5000,
          });
          assert.notEqual(result.code, 0, `the app should refuse to start: ${describeRun(result)}`);
          assert.equal(result.signal, null, `the app should exit on its own: ${describeRun(result)}`);
          const errLines = lines(result.stderr);
          assert.equal(errLines.length, 1, `expected ONE line on stderr: ${describeRun(result)}`);
          assert.match(errLines[0]!, mention, describeRun(result));
          assert.doesNotMatch(result.stderr, STACK_LINE, `no stack trace: ${result.stderr}`);
          assert.doesNotMatch(
            result.stdout + result.stderr,
            new RegExp(fixture.secret),
            'the secret must never be printed',
          );
        });
      }
    });

    describe('in production, HTTPS served by the app itself', () => {
      let running: RunningApp | undefined;
      let https: Client;

      before(
        async () => {
          // No PORT: the default written from --port must be the one it listens on.
          running = await startApp({
            dir: fixture.app.dir,
            env: fixture.prodEnv(),
            port: fixture.appPort,
            tls: { ca: fixture.cert.cert, servername: fixture.cert.domain },
          });
          https = client({ port: fixture.appPort, hostname: DOMAIN, ca: fixture.cert.cert });
        },
        { timeout: 60_000 },
      );

      after(async () => {
        await running?.stop();
      });

      const api = sessionApi({ client: () => https, cookie: COOKIE, user: USER, password: PASSWORD });
      const { session, login } = api;

      it('says it listens on https on the port given with --port', () => {
        assert.match(running!.stdout(), new RegExp(`https://127\\.0\\.0\\.1:${fixture.appPort}\\b`), running!.stdout());
      });

      it('does not answer plain HTTP on its port', async () => {
        const http = client({ port: fixture.appPort, hostname: DOMAIN });
        const res = await http
          .get('/session', { jar: new CookieJar(), timeoutMs: 5000 })
          .catch((error: Error) => error);
        if (!(res instanceof Error)) {
          assert.ok(res.status >= 400, `plain HTTP should not be served: ${res.status} ${res.text}`);
          assert.deepEqual(res.setCookies, [], 'plain HTTP must never get a session cookie');
        }
      });

      sessionContractTests(api, { maxAgeS: 30 * 60, hstsPaths: ['/session', '/health', '/'], withoutDomain: true });

      describe('X-Forwarded-* from a client are not believed (TRUST_PROXY defaults to false)', () => {
        const spoofed = { 'x-forwarded-proto': 'http', 'x-forwarded-for': '1.2.3.4' };

        it(
          'X-Forwarded-Proto: http over a real TLS connection ' + 'still gets the Secure cookie, and login still works',
          async () => {
            const jar = new CookieJar();
            const { res, token } = await session(jar, spoofed);
            // Nothing breaks. (This alone cannot tell whether the header was believed: express-session counts
            // an encrypted socket as secure whatever req.secure says. The throttle test below can, via req.ip.)
            const csrf = findSetCookie(res, CSRF_COOKIE);
            assert.ok(
              csrf,
              `no ${CSRF_COOKIE} cookie with a spoofed X-Forwarded-Proto; ` +
                `Set-Cookie: ${JSON.stringify(res.setCookies)}`,
            );
            assert.ok(csrf.attributes.has('secure'), csrf.raw);
            const ok = await login(jar, PASSWORD, token, spoofed);
            assert.equal(ok.status, 200, `login with spoofed headers: ${ok.status} ${ok.text}`);
            const cookie = findSetCookie(ok, COOKIE);
            assert.ok(cookie, 'login with spoofed headers should set the new session cookie');
            assert.ok(cookie.attributes.has('secure'), cookie.raw);
            assert.equal((await session(jar, spoofed)).authenticated, true);
          },
        );

        // Last in this suite: it leaves 127.0.0.1 throttled for the rest of this app process.
        it('a new X-Forwarded-For on every failed login does not escape the login throttle', async () => {
          const jar = new CookieJar();
          const { token } = await session(jar);
          const statuses: number[] = [];
          for (let i = 0; i < 12; i += 1) {
            const res = await login(jar, 'not the password', token, { 'x-forwarded-for': `203.0.113.${i + 1}` });
            statuses.push(res.status);
          }
          // Throttled per real address (10 failures from 127.0.0.1), not per claimed one.
          assert.ok(
            statuses.includes(429),
            `failed logins from one real address under changing ` +
              `X-Forwarded-For were never throttled: ${statuses.join(' ')}`,
          );
          assert.deepEqual(new Set(statuses), new Set([401, 429]), `only 401 then 429 expected: ${statuses.join(' ')}`);
        });
      });
    });
  });
