// A user's first `npm start` of the TypeScript app prints nothing to stderr: no ExperimentalWarning about
// type stripping (which would look like something broke) on the oldest Node its engines admit (22.18.0,
// from the npm registry: helpers/node-runtimes.ts) nor on 26. Checked by hand as well on 22 and 24 at
// their newest (22.23.3, 24.21.0): none prints one either. The app is the default setup (sqlite + nginx)
// in production; its dependencies are the current Node's install, linked (better-sqlite3 13 loads
// its Node-API binary in every Node the app admits). Runs on other Node lines: node-versions.test.ts.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startApp } from '../helpers/app-process.ts';
import { childEnv, describeRun, runProcess } from '../helpers/cli.ts';
import { DOMAIN } from '../helpers/constants.ts';
import { generateApp, installDeps, type GeneratedApp } from '../helpers/generated-app.ts';
import { obtainNode } from '../helpers/node-runtimes.ts';
import { freePort } from '../helpers/ports.ts';
import { TYPESCRIPT_ENGINES } from '../../src/dependency-versions.ts';

/** The oldest release `engines` admits: its first range's lower bound ("^22.18.0" → "22.18.0"). */
const OLDEST = /^\^(\d+\.\d+\.\d+)/.exec(TYPESCRIPT_ENGINES)![1]!;

describe("the TypeScript app's `npm start` prints no warning", () => {
  let app: GeneratedApp | undefined;

  before(
    async () => {
      app = await generateApp(['--typescript', '--domain', DOMAIN], { name: 'ts-warnings' });
      await installDeps(app.dir);
    },
    { timeout: 10 * 60_000 },
  );

  after(async () => {
    await app?.remove();
  });

  for (const release of [OLDEST, 26]) {
    it(`on Node ${release}: stderr is empty once /health answers`, { timeout: 5 * 60_000 }, async () => {
      const node = await obtainNode(release);
      // What `node` the start script's shell finds: this PATH's first.
      const path = node.env.PATH ?? process.env.PATH;
      const version = await runProcess('node', ['-p', 'process.version'], {
        cwd: app!.dir,
        env: childEnv({ PATH: path }),
        timeoutMs: 15_000,
      });
      assert.equal(version.stdout.trim(), node.version, describeRun(version));

      const port = await freePort();
      const running = await startApp({
        dir: app!.dir,
        command: { file: 'npm', args: ['start'] },
        env: {
          PATH: path,
          PORT: String(port),
          HOST: '127.0.0.1',
          SESSION_SECRET: randomBytes(24).toString('hex'),
          SQLITE_PATH: join(app!.root, 'sessions.db'),
        },
        timeoutMs: 30_000,
      });
      // Node writes its warnings as it loads the modules, before the server listens.
      const stderr = running.stderr();
      await running.stop();
      assert.equal(stderr, '', `npm start on Node ${node.version} wrote to stderr`);
      console.log(`# npm start on Node ${node.version}: nothing on stderr`);
    });
  }
});
