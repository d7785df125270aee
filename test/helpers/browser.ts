// A real browser for the e2e tests: Debian's Chromium (apt-get install chromium), driven headless by
// playwright-core. Playwright's own browser download cannot work here (closed network), so the
// system binary is used. Host names of the tests (app.test) are mapped to 127.0.0.1 inside the
// browser; every other name fails to resolve, so the browser cannot reach anything but this machine.
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { findTool } from './tools.ts';

export const CHROMIUM_ARGS = [
  '--no-sandbox', // we run as root in CI; Chromium refuses its sandbox there
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium({ hosts = [] as string[], timeoutMs = 30_000 } = {}): Promise<Browser> {
  const executablePath = findTool('chromium') ?? '/usr/bin/chromium';
  // MAP every test host to loopback; EXCLUDE nothing else, so any other lookup fails (NOTFOUND).
  const rules = [...hosts.map((h) => `MAP ${h} 127.0.0.1`), 'MAP * ~NOTFOUND'].join(', ');
  return chromium.launch({
    executablePath,
    headless: true,
    timeout: timeoutMs,
    args: [...CHROMIUM_ARGS, `--host-resolver-rules=${rules}`],
  });
}

/** What the page said on its console and which errors it threw, from the moment this is called. */
export interface PageLog {
  /** Every console message, as "type: text". */
  messages: string[];
  /** Console messages of type "error". */
  errors: string[];
  /** Uncaught exceptions in the page (`pageerror`). */
  pageErrors: string[];
  /** Console errors that are Content-Security-Policy violations. */
  cspErrors: () => string[];
}

export const CSP_MESSAGE = /Content Security Policy|Content-Security-Policy/i;

export function recordPageLog(page: Page): PageLog {
  const log: PageLog = {
    messages: [],
    errors: [],
    pageErrors: [],
    cspErrors: () => log.errors.filter((e) => CSP_MESSAGE.test(e)),
  };
  page.on('console', (msg: ConsoleMessage) => {
    const text = `${msg.type()}: ${msg.text()}`;
    log.messages.push(text);
    if (msg.type() === 'error') {
      const where = msg.location()?.url;
      log.errors.push(where ? `${msg.text()} (${where})` : msg.text());
    }
  });
  page.on('pageerror', (error) => log.pageErrors.push(String(error?.stack ?? error)));
  return log;
}

/**
 * Records every `securitypolicyviolation` event of every document the page loads, from now on (a
 * listener added before any page script runs; scripts added this way are not subject to the page's
 * CSP). The events are handed out of the page as they happen, so a reload or a navigation loses none.
 */
export async function recordCspViolations(page: Page): Promise<() => Promise<string[]>> {
  const violations: string[] = [];
  await page.exposeFunction('__reportCspViolation', (text: string) => void violations.push(text));
  await page.addInitScript(() => {
    const w = window as unknown as { __reportCspViolation: (text: string) => void };
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__reportCspViolation(
        `${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ` +
          `${e.sourceFile}:${e.lineNumber} of ${document.location.href}`,
      );
    });
  });
  return async () => [...violations];
}
