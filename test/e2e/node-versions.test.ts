// The default app (sqlite + nginx) on every maintained Node.js line it claims to run on: 22, 24 and
// 26 at their newest, and 22.14.0, the oldest release its `engines` admits, from the npm registry
// (see helpers/node-runtimes.ts; the one running the tests is used as it is). For each: the CLI
// itself runs on that Node; the app's dependencies are installed with that Node first on PATH and
// its headers as npm_config_nodedir, so a native addon that compiles would compile for that Node
// (better-sqlite3 13 ships Node-API builds that load in any of them; cached per Node version); the
// app runs on that Node behind real nginx with TLS; the session contract holds over HTTPS; and the
// app's own `npm test` passes under that Node. The generated `engines` field must admit every
// version tested. Sustained load: node-soak.test.ts. The oldest Node the CLI runs on (22.12.0):
// node-oldest-cli.test.ts.
//
// Cold, each extra Node costs a download (~10 s) and an install; both are started at once in the
// suite's `before`, so they overlap each other and the tests of the Node that is ready first.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { addUser, startApp, type AppEnv, type RunningApp } from '../helpers/app-process.ts';
import { describeRun } from '../helpers/cli.ts';
import { COOKIE, DOMAIN, PASSWORD, USER } from '../helpers/constants.ts';
import { generateApp, installDeps, runNpm, type GeneratedApp, type InstallResult } from '../helpers/generated-app.ts';
import { client, cookieLifetimeSeconds, CookieJar, type Client } from '../helpers/https-client.ts';
import { prepareNginx, startNginx, type NginxPrefix, type RunningNginx } from '../helpers/nginx.ts';
import { obtainNode, satisfies, type NodeRuntime } from '../helpers/node-runtimes.ts';
import { freePort } from '../helpers/ports.ts';
import {
  assertHostSessionCookie,
  assertLogoutClearsCookie,
  assertNewIdAtLogin,
  sessionApi,
} from '../helpers/session-contract.ts';
import { makeCert, type TestCert } from '../helpers/tls.ts';
import { needsTools } from '../helpers/tools.ts';

const run = promisify(execFile);

const CURRENT_MAJOR = Number(process.versions.node.split('.')[0]);
/** The oldest Node the generated app promises (better-sqlite3 13 needs Node-API 10). */
const OLDEST = '22.14.0';
/**
 * The maintained lines at their newest, and the oldest release `engines` admits; the one running
 * the tests first (its install is usually cached already).
 */
const RELEASES: Array<number | string> = [OLDEST, 22, 24, 26].sort(
  (a, b) => Number(b === CURRENT_MAJOR) - Number(a === CURRENT_MAJOR),
);

interface Prepared {
  runtime: NodeRuntime;
  app: GeneratedApp;
  appPort: number;
  install: InstallResult;
}

async function prepare(release: number | string): Promise<Prepared> {
  const runtime = await obtainNode(release);
  const appPort = await freePort();
  const app = await generateApp(['--port', String(appPort), '--domain', DOMAIN, '--max-age', '30m'], {
    nodePath: runtime.nodePath,
  });
  try {
    const install = await installDeps(app.dir, { nodeVersion: runtime.version, env: runtime.env });
    return { runtime, app, appPort, install };
  } catch (error) {
    await app.remove();
    throw error;
  }
}

describe('default app (sqlite + nginx) on Node 22.14.0, 22, 24 and 26', needsTools('nginx', 'openssl'), () => {
  let cert: TestCert | undefined;
  const ready = new Map<number | string, Promise<Prepared>>();

  before(async () => {
    cert = await makeCert(DOMAIN);
    for (const major of RELEASES) {
      const started = Date.now();
      const p = prepare(major);
      p.then(
        ({ runtime, install }) =>
          console.log(
            `# Node ${runtime.version} (ABI ${runtime.abi}) ` +
              (runtime.current ? 'is this one' : runtime.downloaded ? 'downloaded' : 'from cache') +
              '; ' +
              `dependencies ${install.installed ? 'installed' : 'from cache'}; ready ` +
              `in ${Date.now() - started} ms (${install.cacheDir})`,
          ),
        () => {}, // reported by the suite that awaits it
      );
      ready.set(major, p);
    }
  });

  after(async () => {
    const all = await Promise.allSettled(ready.values());
    for (const r of all) if (r.status === 'fulfilled') await r.value.app.remove();
    await cert?.remove();
  });

  it('the range check used below reads engines ranges as semver does', () => {
    const cases: Array<[string, string, boolean]> = [
      ['20.19.0', '>=20.19', true],
      ['20.18.3', '>=20.19', false],
      ['24.21.0', '>=20.19', true],
      ['22.11.0', '^20.19.0 || >=22.12.0', false],
      ['22.12.0', '^20.19.0 || >=22.12.0', true],
      ['20.20.2', '^20.19.0 || >=22.12.0', true],
      ['25.0.0', '>=20.19 <25', false],
      ['24.99.1', '>=20.19 <25', true],
      ['22.1.0', '20.x || 22.x', true],
      ['23.0.0', '20.x || 22.x', false],
      ['20.19.5', '~20.19', true],
      ['20.20.0', '~20.19', false],
      ['21.0.0', '>20', true],
      ['20.99.0', '>20', false],
    ];
    for (const [version, range, expected] of cases)
      assert.equal(satisfies(version, range), expected, `${version} in ${range}`);
  });

  for (const major of RELEASES) {
    const nodeSource = major === CURRENT_MAJOR ? ' (the one running the tests)' : ' (from the npm registry)';
    describe(`on Node ${major}${nodeSource}`, () => {
      let prepared: Prepared;
      let site: NginxPrefix | undefined;
      let running: RunningApp | undefined;
      let nginx: RunningNginx | undefined;
      let https: Client;
      const secret = randomBytes(24).toString('hex');

      function appEnv(): AppEnv {
        return {
          PORT: String(prepared.appPort),
          HOST: '127.0.0.1',
          SESSION_SECRET: secret,
          SQLITE_PATH: join(prepared.app.root, 'sessions.db'),
        };
      }

      const start = () => startApp({ dir: prepared.app.dir, env: appEnv(), nodePath: prepared.runtime.nodePath });

      before(
        async () => {
          prepared = await ready.get(major)!;
          site = await prepareNginx({ siteConfPath: join(prepared.app.dir, 'deploy', 'nginx.conf'), cert: cert! });
          // the account, with the app's own user:add under this Node
          // (production takes no password from the environment)
          await addUser(
            prepared.app.dir,
            appEnv(),
            { name: USER, password: PASSWORD },
            { nodePath: prepared.runtime.nodePath },
          );
          running = await start();
          nginx = await startNginx(site);
          https = client({ port: site.httpsPort, hostname: DOMAIN, ca: cert!.cert });
        },
        { timeout: 12 * 60_000 },
      );

      after(async () => {
        await nginx?.stop();
        await running?.stop();
        await site?.remove();
      });

      const api = sessionApi({ client: () => https, cookie: COOKIE, user: USER, password: PASSWORD });
      const session = (jar: CookieJar) => api.session(jar);
      const login = (jar: CookieJar, token: string) => api.login(jar, PASSWORD, token);

      it(`the app runs on Node ${major}, and better-sqlite3 loads and runs in it`, async () => {
        const { runtime, app } = prepared;
        assert.ok(
          runtime.version === `v${major}` || runtime.version.startsWith(`v${major}.`),
          `${runtime.nodePath} is ${runtime.version}`,
        );
        // load the addon from the app's node_modules in that Node, and use it
        const script =
          "const D = require(require.resolve('better-sqlite3', { paths: [process.cwd()] }));" +
          "const db = new D(':memory:'); console.log(JSON.stringify([process.version, " +
          "db.prepare('select 41 + 1 as x').get().x])); db.close();";
        const { stdout } = await run(runtime.nodePath, ['-e', script], { cwd: app.dir, timeout: 15_000 });
        assert.deepEqual(JSON.parse(stdout), [runtime.version, 42]);
      });

      it(
        `login sets ${COOKIE}; Path=/; HttpOnly; Secure; SameSite=Lax ` +
          `(no Domain, 30 minutes); an anonymous GET /session does not`,
        async () => {
          const cookie = await assertHostSessionCookie(api);
          const lifetime = cookieLifetimeSeconds(cookie);
          assert.ok(
            lifetime !== undefined && Math.abs(lifetime - 1800) <= 5,
            `lifetime should be about 1800 s: ${cookie.raw}`,
          );
        },
      );

      it('POST /login gives a new session id, and the old id is not logged in', async () => {
        const jar = new CookieJar();
        assert.equal((await login(jar, (await session(jar)).token)).status, 200);
        const { token } = await session(jar);
        await assertNewIdAtLogin({
          cookie: COOKIE,
          jar,
          relogin: async () => {
            const res = await login(jar, token);
            assert.equal(res.status, 200, `login: ${res.status} ${res.text}`);
          },
          session,
        });
      });

      it('POST /logout answers 204, and replaying the logged-out cookie is not logged in', () =>
        assertLogoutClearsCookie(api));

      it('a session survives a restart of the app', { timeout: 60_000 }, async () => {
        const jar = new CookieJar();
        assert.equal((await login(jar, (await session(jar)).token)).status, 200);
        assert.equal((await session(jar)).authenticated, true);
        await running!.stop();
        running = undefined;
        running = await start();
        assert.equal(
          (await session(jar)).authenticated,
          true,
          'the same cookie should still be logged in after a restart',
        );
      });

      it(`the app's own npm test passes under Node ${major}`, { timeout: 5 * 60_000 }, async () => {
        const { runtime, app } = prepared;
        // npm and the scripts it runs must be that Node (it is first on PATH)
        const which = await runNpm(app.dir, ['exec', '--offline', '-c', 'node -p process.version'], {
          env: runtime.env,
          timeoutMs: 60_000,
        });
        assert.equal(
          which.stdout.trim(),
          runtime.version,
          `npm scripts should run on ${runtime.version}: ${describeRun(which)}`,
        );
        const result = await runNpm(app.dir, ['test'], { env: runtime.env, timeoutMs: 4 * 60_000 });
        assert.equal(
          result.code,
          0,
          `npm test in the generated app failed on ${runtime.version}: ${describeRun(result)}`,
        );
        const passed = Number(/^(?:#|ℹ) pass (\d+)$/m.exec(result.stdout)?.[1] ?? 0);
        assert.ok(passed > 0, `the generated app's npm test ran no test:\n${result.stdout}`);
      });
    });
  }

  it(`the generated package.json engines.node admits ${OLDEST} and every Node tested here`, async () => {
    const { app } = await ready.get(RELEASES[0]!)!;
    const pkg = JSON.parse(await readFile(join(app.dir, 'package.json'), 'utf8')) as { engines?: { node?: string } };
    const range = pkg.engines?.node;
    assert.equal(
      typeof range,
      'string',
      `no engines.node in the generated package.json: ${JSON.stringify(pkg.engines)}`,
    );
    // the oldest promised, and the exact versions tested here (where they could be obtained: their suites report
    // failures)
    const versions = [OLDEST];
    for (const r of await Promise.allSettled([...ready.values()]))
      if (r.status === 'fulfilled') versions.push(r.value.runtime.version.slice(1));
    for (const v of versions) assert.ok(satisfies(v, range!), `engines.node "${range}" should admit Node ${v}`);
    for (const old of ['20.19.0', '22.13.1', '23.11.0'])
      assert.equal(
        satisfies(old, range!),
        false,
        `engines.node "${range}" admits Node ${old}, which the app does not run on`,
      );
  });
});
