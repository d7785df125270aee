// Every session store end to end: the real CLI generates the app with `--store <id>`, its
// dependencies are installed (cached), two instances run behind real nginx with TLS, and the store
// is checked DIRECTLY with its own client (never through the app): sessions survive restarts, logout
// and expiry really remove them, two instances share them, fifty clients never see each other's,
// and a store that goes away makes the app answer 503 (no crash, no hang) and come back by itself.
// On a store server, the app's own npm test passes too.
//
// Adding a store is one entry in STORE_CASES (test/helpers/store-suite/cases.ts). The tests, by
// theme, are in test/helpers/store-suite/: sessions.ts, outages.ts, expiry.ts, own-tests.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STORES } from '../../src/stores/index.ts';
import { STORE_CASES } from '../helpers/store-suite/cases.ts';
import { expiryTests } from '../helpers/store-suite/expiry.ts';
import { storeFixture } from '../helpers/store-suite/fixture.ts';
import { outageTests } from '../helpers/store-suite/outages.ts';
import { ownTests } from '../helpers/store-suite/own-tests.ts';
import { sessionTests } from '../helpers/store-suite/sessions.ts';
import { serverDown } from '../helpers/store-servers.ts';
import { needs, needsTools } from '../helpers/tools.ts';

it('every store the CLI offers (but memory) has an entry in the store suite, and every entry is a store', () => {
  const offered = STORES.map((s) => s.id)
    .filter((id) => id !== 'memory')
    .sort();
  assert.deepEqual(
    STORE_CASES.map((c) => c.id).sort(),
    offered,
    'src/stores/index.ts and STORE_CASES in test/helpers/store-suite/cases.ts disagree',
  );
});

// Reachability of each server, checked once (top-level await) so the suites can be skipped or failed.
const down = new Map<string, string | false>();
for (const c of STORE_CASES) down.set(c.id, await serverDown(c.server));

for (const storeCase of STORE_CASES) {
  const store = STORES.find((s) => s.id === storeCase.id);
  const server = storeCase.server;

  describe(`--store ${storeCase.id} end to end (two instances behind nginx with TLS)`, () => {
    const tools = needsTools('nginx', 'openssl');
    const serverOk = server
      ? needs(`${server.name} on 127.0.0.1:${server.port}`, down.get(storeCase.id)!)
      : { skip: false as const };
    const offered = needs(
      `--store ${storeCase.id} in src/stores/index.ts`,
      store ? false : `the CLI has no --store ${storeCase.id} yet`,
    );
    const skip = tools.skip || serverOk.skip || offered.skip;

    describe('the generated app', { skip }, () => {
      const f = storeFixture(storeCase, store);
      sessionTests(f);
      outageTests(f);
      ownTests(f);
      expiryTests(f);
    });
  });
}
