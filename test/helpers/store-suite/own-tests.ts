// The generated app's own `npm test` on a store server (test/e2e/stores.test.ts registers it per
// store; SQLite's runs in test/e2e/default-app.test.ts). The app's tests find their server in the
// store's URL variable, as its README says: here this run's own place on the shared server (its
// own database, or Redis keys under its app's name), which the fixture removes at the end.
import { it } from 'node:test';
import { assertOwnTestsPass } from '../generated-app.ts';
import type { StoreFixture } from './fixture.ts';

export function ownTests(f: StoreFixture): void {
  const server = f.server;
  if (!server) return;
  it("the generated app's own npm test passes", { timeout: 5 * 60_000 }, async () => {
    const started = Date.now();
    await assertOwnTestsPass(f.app!.dir, {
      env: { [f.urlEnv()]: f.storeUrl({ port: server.port }) },
      on: ` on ${f.storeCase.id}`,
    });
    console.log(`# ${f.storeCase.id}: the app's own npm test in ${Date.now() - started} ms`);
  });
}
