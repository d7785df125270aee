// The security suites' tests: one per row of SECURITY_PROPERTIES (security-properties.ts), registered
// once per setup the row lists, by `securitySuite(setupId)`. Each row's check talks to a real
// deployment (security-deployment.ts) over HTTPS from 127.0.0.x and reads the session store
// directly; none of them trusts what the app says about itself when the store can tell.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PROXIES } from '../../src/proxies/index.ts';
import { deploy, TIMED_APPS, type Deployment } from './security-deployment.ts';
import { propertiesFor, propertyTestName, SECURITY_PROPERTIES, type SecurityProperty } from './security-properties.ts';
import { securitySetup, type SetupId } from './security-setups.ts';
import { serverDown, storeServer } from './store-servers.ts';
import { needs, needsTools, requireTools } from './tools.ts';

/**
 * Why the setup's store server cannot be used (it does not answer), or false (it does, or none is needed). Await it at
 * the top of a test file.
 */
export function storeServerDown(setupId: SetupId): Promise<string | false> {
  return serverDown(storeServer(securitySetup(setupId).store));
}

/**
 * Registers the security suite of one setup: its `needs …` tests, then one test per property the
 * setup is listed for, named `#<n> <test>`, in order; the rows on a timed app together, side by side.
 */
export function securitySuite(setupId: SetupId, { serverDown = false as string | false } = {}): void {
  const setup = securitySetup(setupId);
  describe(`security properties, ${setupId}: ${setup.how}`, () => {
    const tools = needsTools(...setup.tools);
    const server = storeServer(setup.store);
    const serverOk = server
      ? needs(`${server.name} on 127.0.0.1:${server.port}`, serverDown)
      : { skip: false as const };
    const offered = needs(
      `--proxy ${setup.proxy} in src/proxies/index.ts`,
      PROXIES.some((p) => p.id === setup.proxy) ? false : `the CLI has no --proxy ${setup.proxy} yet`,
    );
    const skip = tools.skip || serverOk.skip || offered.skip;

    describe('the deployed app', { skip }, () => {
      let d: Deployment | undefined;
      before(
        async () => {
          d = await deploy(setup);
          // started now, awaited by their check (errors surface there)
          for (const p of properties)
            if (p.startEarly && requireTools(...(p.tools ?? [])).available) p.startEarly(d).catch(() => {});
        },
        { timeout: 10 * 60_000 },
      );
      after(async () => {
        await d?.close();
      });

      const properties = propertiesFor(setupId);
      const register = (p: SecurityProperty) => {
        const tools = p.tools ? requireTools(...p.tools) : undefined;
        it(propertyTestName(p), { timeout: p.timeoutMs ?? 90_000, skip: tools?.skip ?? false }, async () => {
          tools?.assert();
          assert.ok(d, 'the deployment did not start');
          await p.check(d);
        });
      };
      // Every row on a timed app in one group, where the first of them is in the table.
      const timed = properties.filter((p) => p.app);
      const apps = [...new Set(timed.map((p) => p.app!))];
      for (const p of properties) {
        if (!p.app) register(p);
        else if (p === timed[0]) {
          describe(
            `the apps generated with ${apps.map((a) => TIMED_APPS[a].flags.join(' ')).join('; ')} (side by side)`,
            { concurrency: true },
            () => {
              before(
                async () => {
                  if (d) await Promise.all(apps.map((a) => d![a]()));
                },
                { timeout: 5 * 60_000 },
              );
              for (const q of timed) register(q);
            },
          );
        }
      }
    });
  });
}

/** Every property has a check, and every check a property (the numbers of the rows with one). */
export function checkedProperties(): { properties: number[]; checks: number[] } {
  const checks = SECURITY_PROPERTIES.filter((p) => typeof p.check === 'function');
  assert.equal(new Set(checks.map((p) => p.check)).size, checks.length, 'two rows share one check');
  return { properties: SECURITY_PROPERTIES.map((p) => p.n), checks: checks.map((p) => p.n) };
}
