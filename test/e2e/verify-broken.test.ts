// The generated app's own `npm run verify` against deployments broken on purpose: each one must fail,
// exit non-zero, and name the right check, cause and fix. One nginx+sqlite app, started once in
// production, sits behind one real nginx per breakage, each running the generated deploy/nginx.conf
// with one change (only nginx differs, so only nginx is started again). That it passes a correct
// deployment is security row #24 (test/helpers/security-checks/verifier.ts); here, once, it does so on a
// terminal, asking for the account.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import { addUser, startApp, type AppEnv, type RunningApp } from '../helpers/app-process.ts';
import { childEnv, describeRun, runProcess } from '../helpers/cli.ts';
import { DOMAIN, PASSWORD, USER } from '../helpers/constants.ts';
import { generateApp, installDeps, type GeneratedApp } from '../helpers/generated-app.ts';
import { prepareNginx, startNginx, type NginxPrefix, type RunningNginx } from '../helpers/nginx.ts';
import { freePort } from '../helpers/ports.ts';
import { KEY, runCommandInTerminal } from '../helpers/terminal.ts';
import { makeCert, type TestCert } from '../helpers/tls.ts';
import { needsTools } from '../helpers/tools.ts';
import { checkOf, npmVerify, npmVerifyFront, reportOf, runVerify, type VerifyOptions } from '../helpers/verify-run.ts';

const XFP_LINE = 'proxy_set_header X-Forwarded-Proto $scheme;';
const HSTS_LINE = /^(\s*)add_header Strict-Transport-Security .*$/m;
const PROTOCOLS_LINE = /^(\s*)ssl_protocols TLSv1\.2 TLSv1\.3;$/gm;
const CIPHERS_LINE = /^(\s*)ssl_ciphers \S+;$/gm;

/** Replaces `pattern` in the generated config, asserting it is there (a changed template must fail here, loudly). */
function edit(conf: string, pattern: RegExp | string, replacement: string): string {
  const found = typeof pattern === 'string' ? conf.includes(pattern) : new RegExp(pattern.source, 'm').test(conf);
  assert.ok(found, `deploy/nginx.conf has no ${String(pattern)}`);
  return conf.replace(pattern, replacement);
}

/** Each front: the generated deploy/nginx.conf with one breakage (`ok`: none). */
const FRONTS = {
  ok: (conf: string) => conf,
  // The app trusts 127.0.0.1 only (TRUST_PROXY below), and this nginx connects to it from 127.0.0.2.
  untrustedProxy: (conf: string) =>
    edit(conf, 'proxy_pass http://app_upstream;', 'proxy_pass http://app_upstream;\n        proxy_bind 127.0.0.2;'),
  noForwardedProto: (conf: string) => edit(conf, XFP_LINE, '# (removed by the test)'),
  noHsts: (conf: string) => edit(conf, HSTS_LINE, '$1# (removed by the test)'),
  twoHsts: (conf: string) =>
    edit(conf, HSTS_LINE, '$&\n$1add_header Strict-Transport-Security "max-age=31536000" always;'),
  // OpenSSL 3 agrees to TLS 1.0 and 1.1 only at security level 0, with a cipher they have (no GCM).
  oldTls: (conf: string) =>
    edit(
      edit(conf, PROTOCOLS_LINE, '$1ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;'),
      CIPHERS_LINE,
      '$1ssl_ciphers DEFAULT:@SECLEVEL=0;',
    ),
} as const;
type FrontName = keyof typeof FRONTS;

/** The checks that log in: all four fail when login does not give a session cookie. */
const LOGIN_FAILS = ['login', 'session-cookie', 'new-session-id', 'logout'];

interface Front {
  site: NginxPrefix;
  nginx: RunningNginx;
}

describe('npm run verify names the cause of each broken deployment', needsTools('nginx', 'openssl'), () => {
  let app: GeneratedApp | undefined;
  let cert: TestCert | undefined;
  let running: RunningApp | undefined;
  const fronts = new Map<FrontName, Front>();

  before(
    async () => {
      const port = await freePort();
      [app, cert] = await Promise.all([generateApp(['--port', String(port), '--domain', DOMAIN]), makeCert(DOMAIN)]);
      await installDeps(app.dir);
      const env: AppEnv = {
        PORT: String(port),
        SESSION_SECRET: randomBytes(24).toString('hex'),
        SQLITE_PATH: join(app.root, 'sessions.db'),
        // nginx's own address, rather than the generated `loopback`, so that one front can come from another
        TRUST_PROXY: '127.0.0.1',
      };
      await addUser(app.dir, env, { name: USER, password: PASSWORD });
      running = await startApp({ dir: app.dir, env });
      const generated = await readFile(join(app.dir, 'deploy', 'nginx.conf'), 'utf8');
      await Promise.all(
        (Object.keys(FRONTS) as FrontName[]).map(async (name) => {
          const siteConfPath = join(app!.root, `nginx-${name}.conf`);
          await writeFile(siteConfPath, FRONTS[name](generated));
          const site = await prepareNginx({ siteConfPath, cert: cert! });
          fronts.set(name, { site, nginx: await startNginx(site) });
        }),
      );
    },
    { timeout: 120_000 },
  );

  after(async () => {
    for (const { nginx, site } of fronts.values()) {
      await nginx.stop();
      await site.remove();
    }
    await running?.stop();
    await cert?.remove();
    await app?.remove();
  });

  /** verify --json against a front: it must fail (exit 1) on exactly `failing`, and pass everything else. */
  async function verifyFails(name: FrontName, failing: string[], o: Partial<VerifyOptions> = {}) {
    const { site } = fronts.get(name)!;
    const run = await runVerify(app!.dir, {
      httpsPort: site.httpsPort,
      httpPort: site.httpPort,
      caFile: cert!.certPath,
      ...o,
      args: ['--json', ...(o.args ?? [])],
    });
    assert.equal(run.code, 1, `verify must exit 1:\n${describeRun(run)}`);
    const report = reportOf(run);
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.checks.filter((c) => c.status === 'fail').map((c) => c.id),
      failing,
      `the failed checks:\n${JSON.stringify(report.checks, null, 2)}`,
    );
    for (const c of report.checks.filter((c) => c.status !== 'fail' && !failing.includes(c.id))) {
      const skipped = o.args?.includes('--skip-login') && LOGIN_FAILS.includes(c.id);
      assert.equal(c.status, skipped ? 'skip' : 'pass', JSON.stringify(c));
    }
    console.log(
      `# ${name}: verify took ${run.durationMs} ms; ${failing.map((id) => checkOf(report, id).cause).join('; ')}`,
    );
    return report;
  }

  // The app does not see HTTPS: it redirects GET /session to https:// (a loop), so csrf-cookie, the first
  // check to read /session, finds the cause; and login, which needs /session's token, names it again.
  const NOT_HTTPS = ['csrf-cookie', ...LOGIN_FAILS];
  const SYMPTOM =
    /^GET \/session over HTTPS is redirected to https:\/\/app\.test\/session .*the app does not see HTTPS/;

  it("TRUST_PROXY does not include the proxy's address: the app does not see HTTPS; TRUST_PROXY is named", async () => {
    const report = await verifyFails('untrustedProxy', NOT_HTTPS);
    for (const id of ['csrf-cookie', 'session-cookie']) {
      const check = checkOf(report, id);
      assert.match(check.cause!, SYMPTOM);
      assert.match(check.cause!, /even when sent again with X-Forwarded-Proto: https of our own$/);
      assert.match(check.fix!, /^TRUST_PROXY does not include nginx's address/);
    }
    assert.match(checkOf(report, 'login').cause!, /^not run: GET \/session is redirected, see session-cookie/);
  });

  it('nginx does not send X-Forwarded-Proto: the app does not see HTTPS; the nginx.conf line is named', async () => {
    const report = await verifyFails('noForwardedProto', NOT_HTTPS);
    for (const id of ['csrf-cookie', 'session-cookie']) {
      const check = checkOf(report, id);
      assert.match(check.cause!, SYMPTOM);
      assert.match(check.cause!, /sent again with X-Forwarded-Proto: https of our own, it works$/);
      assert.match(check.fix!, /^nginx does not send X-Forwarded-Proto/);
      assert.ok(check.fix!.includes(XFP_LINE), check.fix);
    }
  });

  it('HSTS missing', async () => {
    const check = checkOf(await verifyFails('noHsts', ['hsts'], { args: ['--skip-login'] }), 'hsts');
    assert.match(check.cause!, /has no Strict-Transport-Security header/);
    assert.match(check.fix!, /add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;/);
  });

  it('HSTS doubled', async () => {
    const check = checkOf(await verifyFails('twoHsts', ['hsts'], { args: ['--skip-login'] }), 'hsts');
    assert.match(check.cause!, /has 2 Strict-Transport-Security headers/);
    assert.match(check.fix!, /^one sender only: nginx sends it/);
  });

  it('TLS 1.0 and 1.1 allowed (a TLS 1.0 handshake really succeeds first)', async () => {
    const { site } = fronts.get('oldTls')!;
    for (const version of ['TLSv1', 'TLSv1.1'] as const) {
      const agreed = await new Promise<string | null>((resolve, reject) => {
        const socket = tls.connect(
          {
            host: '127.0.0.1',
            port: site.httpsPort,
            servername: DOMAIN,
            ca: cert!.cert,
            minVersion: version,
            maxVersion: version,
            ciphers: 'DEFAULT:@SECLEVEL=0',
          },
          () => {
            resolve(socket.getProtocol());
            socket.destroy();
          },
        );
        socket.once('error', reject);
      });
      assert.equal(agreed, version, `the broken front must agree to ${version}`);
    }
    const check = checkOf(await verifyFails('oldTls', ['old-tls'], { args: ['--skip-login'] }), 'old-tls');
    assert.equal(check.cause, 'the server agreed to TLSv1 and TLSv1.1');
    assert.match(check.fix!, /ssl_protocols TLSv1\.2 TLSv1\.3;/);
  });

  it('a certificate it cannot trust fails, and every check that needs HTTPS is not run', async () => {
    const report = await verifyFails(
      'ok',
      ['certificate', 'https', 'hsts', 'unknown-host', 'csrf-cookie', 'csrf-required', ...LOGIN_FAILS],
      {
        caFile: undefined,
      },
    );
    const check = checkOf(report, 'certificate');
    assert.match(check.cause!, /self-signed certificate/);
    assert.match(check.fix!, /NODE_EXTRA_CA_CERTS=<file>, or use --insecure/);
  });

  it('--insecure passes that certificate, and says so loudly', async () => {
    const { site } = fronts.get('ok')!;
    const run = await runVerify(app!.dir, { httpsPort: site.httpsPort, httpPort: site.httpPort, args: ['--insecure'] });
    assert.equal(run.code, 0, describeRun(run));
    assert.equal(run.stderr.match(/^WARNING: --insecure: the certificate is NOT checked/gm)?.length, 2, run.stderr);
    assert.match(run.stdout, /^– certificate: .*NOT CHECKED: --insecure was given/m);
    const json = await runVerify(app!.dir, {
      httpsPort: site.httpsPort,
      httpPort: site.httpPort,
      args: ['--insecure', '--json'],
    });
    assert.equal(json.code, 0, describeRun(json));
    const report = reportOf(json);
    assert.equal(report.insecure, true);
    assert.equal(checkOf(report, 'certificate').status, 'skip');
    assert.match(json.stderr, /^WARNING: --insecure/m);
  });

  // Wrong use: exit 2, one line naming the problem (then the usage), no stack trace, nothing checked.
  const WRONG_USE: [string, string[], RegExp][] = [
    ['no URL', [], /^usage: npm run verify -- https:\/\/<host>/],
    ['two URLs', ['https://a.example', 'https://b.example'], /^usage: /],
    ['a plain http:// URL', ['http://app.example'], /^name the deployment by its https:\/\/ URL, without a path/],
    ['a URL with a path', ['https://app.example/login'], /^name the deployment by its https:\/\/ URL/],
    ['--http-port 0', ['https://app.example', '--http-port', '0'], /^--http-port takes a port number \(1 to 65535\)/],
    ['--connect-to with a port', ['https://app.example', '--connect-to', '10.0.0.1:443'], /^--connect-to takes an IP/],
    ['an unknown option', ['https://app.example', '--colour'], /Unknown option '--colour'/],
  ];
  for (const [what, args, message] of WRONG_USE) {
    it(`wrong use (${what}): exit 2 and one line saying what is wrong`, async () => {
      const run = await runProcess('npm', npmVerify(args), {
        cwd: app!.dir,
        env: childEnv({ VERIFY_USER: undefined, VERIFY_PASSWORD: undefined }),
        timeoutMs: 30_000,
      });
      assert.equal(run.code, 2, describeRun(run));
      assert.match(run.stderr.split('\n')[0]!, message, describeRun(run));
      assert.doesNotMatch(run.stderr, /\n\s+at /, `a stack trace:\n${describeRun(run)}`);
      assert.equal(run.stdout, '', describeRun(run));
    });
  }

  it('on a terminal it asks for the account, the password without echo, and then passes', async () => {
    const { site } = fronts.get('ok')!;
    const args = npmVerifyFront({ httpsPort: site.httpsPort, httpPort: site.httpPort });
    const term = runCommandInTerminal(['npm', ...args], app!.dir, { NODE_EXTRA_CA_CERTS: cert!.certPath });
    await term.waitFor(/account to log in with \(VERIFY_USER\): $/);
    term.type(`${USER}${KEY.enter}`);
    await term.waitFor(new RegExp(`password for ${USER}: $`));
    const asked = term.screen().length;
    term.type(`${PASSWORD}${KEY.enter}`);
    await term.waitFor(/the deployment (passes|does NOT pass)/, asked);
    assert.equal(await term.exit(), 0, term.screen());
    assert.ok(!term.screen().includes(PASSWORD), `the password was echoed:\n${term.screen()}`);
    assert.match(term.screen(), /✓ logout: /);
    assert.match(term.screen(), /12 passed, 0 failed, 0 not checked: the deployment passes/);
  });

  it('without an account (and no terminal to ask on) the login checks are not run, and that is no pass', async () => {
    const report = await verifyFails('ok', LOGIN_FAILS, { account: null });
    const check = checkOf(report, 'login');
    assert.match(check.cause!, /^not run: no account to log in with/);
    assert.match(check.fix!, /npm run user:add -- <name>.*VERIFY_USER and VERIFY_PASSWORD.*--skip-login/);
  });
});
