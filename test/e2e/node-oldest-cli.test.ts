// The oldest Node the CLI runs on, 22.12.0, from the npm registry (helpers/node-runtimes.ts): the
// CLI generates the default app there, and the app, which needs 22.14 for its SQLite driver, refuses
// to start in one line. The Node lines the app runs on: node-versions.test.ts.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runAppToExit } from '../helpers/app-process.ts';
import { describeRun } from '../helpers/cli.ts';
import { generateApp, installDeps, type GeneratedApp } from '../helpers/generated-app.ts';
import { obtainNode, type NodeRuntime } from '../helpers/node-runtimes.ts';
import { freePort } from '../helpers/ports.ts';

/** The oldest Node the CLI runs on: it generates there, and the SQLite app refuses to start in one line. */
const CLI_OLDEST = '22.12.0';

describe(`on Node ${CLI_OLDEST}, the oldest the CLI runs on`, () => {
  let runtime: NodeRuntime;
  let app: GeneratedApp | undefined;
  before(
    async () => {
      runtime = await obtainNode(CLI_OLDEST);
    },
    { timeout: 5 * 60_000 },
  );
  after(() => app?.remove());

  it(
    'the CLI generates the default app, which then refuses to start in one line, not with a crash',
    { timeout: 5 * 60_000 },
    async () => {
      app = await generateApp([], { nodePath: runtime.nodePath });
      await installDeps(app.dir, { nodeVersion: runtime.version, env: runtime.env });
      const env = {
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
        SESSION_SECRET: 's'.repeat(48),
        SQLITE_PATH: join(app.root, 'sessions.db'),
      };
      const result = await runAppToExit({ dir: app.dir, env, nodePath: runtime.nodePath, timeoutMs: 15_000 });
      assert.equal(result.signal, null, `the app crashed: ${describeRun(result)}`);
      assert.equal(result.code, 1, describeRun(result));
      assert.equal(
        result.stderr,
        `error: the SQLite store needs Node.js 22.14 or newer (Node-API 10); this is v${CLI_OLDEST}: upgrade Node.js\n`,
      );
    },
  );
});
