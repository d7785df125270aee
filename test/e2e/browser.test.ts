// The default app (sqlite + nginx) in a real browser. Browsers enforce what curl does not: a
// `__Host-` cookie is only stored when it has Secure, Path=/ and no Domain and came over HTTPS;
// Secure cookies are never sent over http; SameSite decides what is sent; and the page's
// Content-Security-Policy decides which scripts run. Headless Chromium (Debian's package) logs in
// through the page at / over HTTPS via nginx, as a person would, and the test reads the browser's
// own cookie store.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Cookie, Page } from 'playwright-core';
import { addUser, startApp, type RunningApp } from '../helpers/app-process.ts';
import { launchChromium, recordCspViolations, recordPageLog, type PageLog } from '../helpers/browser.ts';
import { COOKIE, CSRF_COOKIE, DOMAIN, PASSWORD, USER } from '../helpers/constants.ts';
import { generateInstalledApp, type GeneratedApp } from '../helpers/generated-app.ts';
import { prepareNginx, startNginx, type NginxPrefix, type RunningNginx } from '../helpers/nginx.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { freePort } from '../helpers/ports.ts';
import { waitFor } from '../helpers/processes.ts';
import { makeCert, type TestCert } from '../helpers/tls.ts';
import { needsTools } from '../helpers/tools.ts';

const MAX_AGE_S = 30 * 60; // --max-age 30m
const ARTIFACTS_DIR = join(REPO_ROOT, 'test-artifacts');

// Without nginx, openssl or chromium: fails under CI, skipped (with the reason) on a developer's machine.
describe(
  'default app in a real browser (Chromium) over HTTPS through nginx',
  needsTools('nginx', 'openssl', 'chromium'),
  () => {
    let app: GeneratedApp | undefined;
    let cert: TestCert | undefined;
    let site: NginxPrefix | undefined;
    let running: RunningApp | undefined;
    let nginx: RunningNginx | undefined;
    let browser: Browser | undefined;
    let context: BrowserContext | undefined;
    let page: Page;
    let log: PageLog;
    let cspViolations: () => Promise<string[]>;
    let origin: string;

    before(
      async () => {
        const appPort = await freePort();
        app = await generateInstalledApp(['--port', String(appPort), '--domain', DOMAIN, '--max-age', '30m']);
        cert = await makeCert(DOMAIN);
        site = await prepareNginx({ siteConfPath: join(app.dir, 'deploy', 'nginx.conf'), cert });
        const env = {
          PORT: String(appPort),
          HOST: '127.0.0.1',
          SESSION_SECRET: randomBytes(24).toString('hex'),
          SQLITE_PATH: join(app.root, 'sessions.db'),
        };
        // production takes no password from the environment
        await addUser(app.dir, env, { name: USER, password: PASSWORD });
        running = await startApp({ dir: app.dir, env });
        nginx = await startNginx(site);
        origin = `https://${DOMAIN}:${site.httpsPort}`;
        browser = await launchChromium({ hosts: [DOMAIN] });
        // the test certificate is self-signed: accepted for this context only
        context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 800, height: 600 } });
        page = await context.newPage();
        page.setDefaultTimeout(15_000);
        log = recordPageLog(page);
        cspViolations = await recordCspViolations(page);
      },
      { timeout: 10 * 60_000 },
    );

    after(async () => {
      await context?.close().catch(() => {});
      await browser?.close().catch(() => {});
      await nginx?.stop();
      await running?.stop();
      await site?.remove();
      await cert?.remove();
      await app?.remove();
    });

    async function statusText(): Promise<string> {
      return (await page.textContent('#status'))?.trim() ?? '';
    }

    /** Waits until #status reads `expected` (the page fills it in after GET /session answers). */
    async function waitForStatus(expected: string): Promise<void> {
      await waitFor(
        `#status to read ${JSON.stringify(expected)}`,
        async () => {
          const text = await statusText();
          if (text !== expected) throw new Error(`#status reads ${JSON.stringify(text)}`);
          return true;
        },
        { timeoutMs: 15_000, intervalMs: 50 },
      ).catch(async (error: Error) => {
        throw new Error(
          `${error.message}\n--- page console ---\n${log.messages.join('\n')}\n--- ` +
            `page errors ---\n${log.pageErrors.join('\n')}`,
        );
      });
    }

    async function visible(selector: string): Promise<boolean> {
      return page.isVisible(selector);
    }

    async function sessionCookie(): Promise<Cookie | undefined> {
      const cookies = await context!.cookies(origin);
      return cookies.find((c) => c.name === COOKIE);
    }

    /** The headers of the navigation to /, as the browser received them. */
    let pageHeaders: Record<string, string> = {};
    let loggedInId: string | undefined;

    it(
      'GET / shows "Not logged in" with the login form; the ' + 'page script got a CSRF token and no session cookie',
      async () => {
        const response = await page.goto(`${origin}/`);
        assert.ok(response, 'no response for /');
        assert.equal(response.status(), 200, `GET /: ${response.status()}`);
        pageHeaders = await response.allHeaders();
        await waitForStatus('Not logged in');
        assert.equal(await visible('#login-form'), true, '#login-form should be shown when logged out');
        assert.equal(await visible('#logout'), false, '#logout should be hidden when logged out');
        const cookies = await context!.cookies();
        assert.equal(
          await sessionCookie(),
          undefined,
          `an anonymous visitor gets no ${COOKIE}; cookies: ${JSON.stringify(cookies)}`,
        );
        const csrf = cookies.find((c) => c.name === CSRF_COOKIE);
        assert.ok(csrf, `the page's GET /session should set ${CSRF_COOKIE}; cookies: ${JSON.stringify(cookies)}`);
        assert.equal(csrf.domain, DOMAIN, JSON.stringify(csrf));
        assert.equal(csrf.httpOnly, true, JSON.stringify(csrf));
        assert.equal(csrf.secure, true, JSON.stringify(csrf));
        assert.equal(csrf.sameSite, 'Strict', JSON.stringify(csrf));
      },
    );

    it('the page script is a same-origin file, never inline, and the CSP allows only such scripts', async () => {
      const scripts = await page.$$eval('script', (els) =>
        els.map((s) => ({
          src: (s as HTMLScriptElement).src,
          inline: !(s as HTMLScriptElement).src && (s.textContent ?? '').trim() !== '',
        })),
      );
      assert.ok(scripts.length > 0, 'the page has no <script> at all');
      for (const s of scripts) {
        assert.equal(s.inline, false, `inline <script> in the page: ${JSON.stringify(scripts)}`);
        assert.ok(s.src.startsWith(`${origin}/`), `script from another origin: ${s.src}`);
      }
      const csp = pageHeaders['content-security-policy'] ?? '';
      assert.match(csp, /script-src 'self'(;|$)/, `CSP should be script-src 'self' only: ${csp}`);
      assert.doesNotMatch(csp, /unsafe-inline/, csp);
    });

    it('logs in with the demo user through the form: "Logged in as …", a session cookie, logout shown', async () => {
      assert.ok(await visible('#login-form'), 'the login form should be visible');
      await page.fill('#username', USER);
      await page.fill('#password', PASSWORD);
      await page.click('#login-form button[type="submit"]');
      await waitForStatus(`Logged in as ${USER}`);
      assert.equal(await visible('#login-form'), false, '#login-form should be hidden when logged in');
      assert.equal(await visible('#logout'), true, '#logout should be shown when logged in');
      assert.equal(await page.inputValue('#password'), '', 'the password field is cleared after login');
      const cookie = await sessionCookie();
      assert.ok(cookie, `no ${COOKIE} after login`);
      loggedInId = cookie.value;

      await mkdir(ARTIFACTS_DIR, { recursive: true });
      const shot = join(ARTIFACTS_DIR, 'logged-in.png');
      await page.screenshot({ path: shot, fullPage: true });
      console.log(`# screenshot of the logged-in page: ${shot}`);
    });

    it(
      `the browser stored ${COOKIE}: host-only (no Domain), Path=/, ` +
        `HttpOnly, Secure, SameSite=Lax, expiring in ~30 minutes`,
      async () => {
        const cookie = await sessionCookie();
        assert.ok(cookie, `no ${COOKIE} in the browser's cookie store: ${JSON.stringify(await context!.cookies())}`);
        // Chromium reports a host-only cookie with the exact host and no leading dot (a Domain
        // attribute would show as ".app.test"); a __Host- cookie with Domain would not be stored at all.
        assert.equal(cookie.domain, DOMAIN, `host-only cookie expected: ${JSON.stringify(cookie)}`);
        assert.equal(cookie.path, '/', JSON.stringify(cookie));
        assert.equal(cookie.httpOnly, true, JSON.stringify(cookie));
        assert.equal(cookie.secure, true, JSON.stringify(cookie));
        assert.equal(cookie.sameSite, 'Lax', JSON.stringify(cookie));
        assert.notEqual(
          cookie.expires,
          -1,
          `a persistent cookie (Max-Age/Expires) expected, got a session cookie: ${JSON.stringify(cookie)}`,
        );
        const lifetime = cookie.expires - Date.now() / 1000;
        assert.ok(
          Math.abs(lifetime - MAX_AGE_S) <= 30,
          `the cookie should expire in about ${MAX_AGE_S} s, expires ` +
            `in ${Math.round(lifetime)} s: ${JSON.stringify(cookie)}`,
        );
        // HttpOnly as the page sees it: document.cookie never shows the session id
        const visibleToScript = await page.evaluate(() => document.cookie);
        assert.doesNotMatch(
          visibleToScript,
          new RegExp(COOKIE),
          `document.cookie exposes the session cookie: ${visibleToScript}`,
        );
        // exactly one cookie: nothing else was planted by the app or the proxy, and login cleared the anonymous token's
        assert.deepEqual(
          (await context!.cookies()).map((c) => c.name),
          [COOKIE],
        );
      },
    );

    it('a reload stays logged in, with the same session cookie', async () => {
      await page.reload();
      await waitForStatus(`Logged in as ${USER}`);
      assert.equal(await visible('#logout'), true);
      assert.equal(await visible('#login-form'), false);
      assert.equal((await sessionCookie())?.value, loggedInId, 'a reload must not change the session id');
    });

    it('"Log out" logs out; a reload stays logged out, on a new anonymous session', async () => {
      await page.click('#logout');
      await waitForStatus('Not logged in');
      assert.equal(await visible('#login-form'), true);
      assert.equal(await visible('#logout'), false);
      await page.reload();
      await waitForStatus('Not logged in');
      assert.equal(await visible('#login-form'), true);
      // the page's GET /session after logout starts no session: the logged-in id is gone, and no other comes
      assert.equal(
        await sessionCookie(),
        undefined,
        `no ${COOKIE} after logout: ${JSON.stringify(await context!.cookies())}`,
      );
    });

    it('the logged-out session id, put back into the browser, is not logged in', async () => {
      assert.ok(loggedInId);
      await context!.addCookies([
        { name: COOKIE, value: loggedInId, url: `${origin}/`, secure: true, httpOnly: true, sameSite: 'Lax' },
      ]);
      await page.reload();
      await waitForStatus('Not logged in');
    });

    it('no Content-Security-Policy violation and no error on the page throughout', async () => {
      assert.deepEqual(log.cspErrors(), [], `CSP violations on the console:\n${log.cspErrors().join('\n')}`);
      assert.deepEqual(await cspViolations(), [], 'securitypolicyviolation events');
      assert.deepEqual(log.pageErrors, [], `uncaught errors in the page:\n${log.pageErrors.join('\n')}`);
      // The generated page has no icon, so the browser's own GET /favicon.ico answers 404; that is
      // the one console error tolerated (it is not the app's script and not a policy violation).
      const favicon = `${origin}/favicon.ico`;
      const others = log.errors.filter((e) => !(e.includes('status of 404') && e.endsWith(`(${favicon})`)));
      if (others.length < log.errors.length)
        console.log(`# note: the browser logged a 404 for ${favicon} (the page declares no icon)`);
      assert.deepEqual(others, [], `console errors:\n${others.join('\n')}`);
    });

    it('the CSP really is enforced: an injected inline script is refused and reported', async () => {
      // the control for the test above: the same listeners do see a violation when there is one
      const probe = await context!.newPage();
      const probeLog = recordPageLog(probe);
      const probeViolations = await recordCspViolations(probe);
      try {
        await probe.goto(`${origin}/`);
        await probe.evaluate(() => {
          const s = document.createElement('script');
          s.textContent = 'window.__injectedRan = true';
          document.body.append(s);
        });
        const ran = await probe.evaluate(
          () => (window as unknown as { __injectedRan?: boolean }).__injectedRan === true,
        );
        assert.equal(ran, false, 'an inline script ran: the CSP does not hold');
        await waitFor(
          'the CSP violation to be reported',
          async () => ((await probeViolations()).length > 0 ? true : undefined),
          { timeoutMs: 5000 },
        );
        assert.match((await probeViolations()).join('\n'), /script-src/);
        await waitFor(
          'the CSP error on the console',
          async () => (probeLog.cspErrors().length > 0 ? true : undefined),
          { timeoutMs: 5000 },
        );
      } finally {
        await probe.close();
      }
    });
  },
);
