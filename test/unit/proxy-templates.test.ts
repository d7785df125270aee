// What each proxy setup's templates render to (real templates, rendered in memory; the generated
// JavaScript is checked with `node --check`): the app's files, and the deploy files for nginx,
// Caddy and a platform.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOST_RULE } from '../../src/domain-and-port.ts';
import { PROXIES } from '../../src/proxies/index.ts';
import { assertJavaScriptParses, render } from '../helpers/plan.ts';

describe('the rendered app for each proxy setup', () => {
  for (const proxy of PROXIES) {
    it(`${proxy.id}: every JavaScript file passes node --check`, async () => {
      const files = await render({ proxy: proxy.id });
      assertJavaScriptParses(files, proxy.id);
    });

    it(`${proxy.id}: config.js, app.js, .env.example and README agree on host, trust proxy and HSTS`, async () => {
      const files = await render({ proxy: proxy.id });
      const config = files.get('src/config.js')!;
      assert.ok(config.includes(`HOST: '${proxy.host}',`), 'HOST default');
      assert.ok(config.includes(`TRUST_PROXY: '${proxy.trustProxy}',`), 'TRUST_PROXY default');
      assert.equal(config.includes('TLS_CERT'), proxy.servesHttps, 'TLS_CERT only without a proxy');
      const app = files.get('src/app.js')!;
      assert.equal(
        app.includes('strictTransportSecurity: false,'),
        proxy.sendsHsts,
        'the app sends HSTS unless the proxy does',
      );
      const example = files.get('.env.example')!;
      assert.match(example, new RegExp(`^HOST=${proxy.host.replaceAll('.', '\\.')}$`, 'm'));
      assert.match(example, new RegExp(`^TRUST_PROXY=${proxy.trustProxy}$`, 'm'));
      assert.equal(/^# TLS_CERT=/m.test(example), proxy.servesHttps);
      assert.doesNotMatch(example, /\n\n\n/, 'no runs of blank lines');
      const readme = files.get('README.md')!;
      assert.equal(readme.match(/^## Deploy /gm)?.length, 1, 'one deploy section');
      assert.match(readme, new RegExp(`^Why \`${proxy.trustProxy}\`: `, 'm'), 'says why trust proxy is what it is');
      assert.match(readme, /^\| `src\/http-server\.js` \|/m);
      assert.doesNotMatch(readme, /\n\n\n/, 'no runs of blank lines');
      // The intro links to the deploy section by its GitHub anchor.
      const heading = /^## (Deploy .*)$/m.exec(readme)![1]!;
      const anchor = heading
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, '')
        .replaceAll(' ', '-');
      assert.ok(readme.includes(`](#${anchor})`), `no link to #${anchor}`);
    });
  }

  for (const proxy of PROXIES) {
    it(
      `${proxy.id}: the HTTPS redirect goes to PUBLIC_HOST (default ` +
        `--domain, checked by the CLI's rule), never to the request's host`,
      async () => {
        const files = await render({ proxy: proxy.id, domain: 'app.example.com' });
        const config = files.get('src/config.js')!;
        const app = files.get('src/app.js')!;
        const example = files.get('.env.example')!;
        const readme = files.get('README.md')!;
        assert.doesNotMatch(
          app,
          /req\.(hostname|host|headers)\b|req\.get\(/,
          'nothing in app.js reads the host from the request',
        );
        if (proxy.servesHttps) {
          // The app's only port speaks TLS: nothing is redirected, so there is no PUBLIC_HOST to set.
          for (const [file, text] of [
            ['src/config.js', config],
            ['src/app.js', app],
            ['.env.example', example],
            ['README.md', readme],
          ]) {
            assert.doesNotMatch(text!, /PUBLIC_HOST|requireHttps/, file);
          }
          return;
        }
        assert.ok(config.includes("PUBLIC_HOST: 'app.example.com',"), 'PUBLIC_HOST defaults to --domain');
        assert.ok(config.includes("publicHost: parsePublicHost(read('PUBLIC_HOST') ?? DEFAULTS.PUBLIC_HOST),"));
        // the CLI's --domain rule, one source (src/domain-and-port.ts)
        assert.ok(
          config.includes(`const HOST_LABEL = new RegExp('${HOST_RULE.label}');`),
          'HOST_LABEL from domain-and-port.ts',
        );
        assert.ok(config.includes(`const MAX_HOST_LENGTH = ${HOST_RULE.maxLength};`));
        assert.ok(app.includes('app.use(requireHttps(config.publicHost));'));
        assert.ok(app.includes('res.redirect(301, `https://${publicHost}${path}`);'));
        assert.match(example, /^PUBLIC_HOST=app\.example\.com$/m);
        assert.match(readme, /^\| `PUBLIC_HOST` \| app\.example\.com \| /m);
      },
    );
  }

  it('nginx: refuses unknown host names on 80 and 443, and drops a client-sent X-Forwarded-Host', async () => {
    const conf = (await render({ proxy: 'nginx', domain: 'app.example.com' })).get('deploy/nginx.conf')!;
    assert.match(conf, /^\s*listen 80 default_server;$/m);
    assert.match(conf, /^\s*listen 443 ssl default_server;$/m);
    assert.match(conf, /^\s*ssl_reject_handshake on;$/m);
    assert.equal(conf.match(/^\s*return 444;$/gm)?.length, 2, 'no answer for another Host on 80 and on 443');
    // the TLS version and cipher are agreed in the default server's context: it must not narrow them
    assert.equal(conf.match(/^\s*ssl_protocols TLSv1\.2 TLSv1\.3;$/gm)?.length, 2);
    assert.equal(conf.match(/^\s*ssl_ciphers \S+;$/gm)?.length, 2);
    assert.match(conf, /^\s*server_name app\.example\.com;$/m);
    assert.match(conf, /^\s*proxy_set_header X-Forwarded-Host "";$/m);
    assert.match(conf, /^\s*return 301 https:\/\/app\.example\.com\$request_uri;$/m);
    // one port per listen line (the e2e harness rewrites them)
    for (const line of conf.split('\n').filter((l) => /^\s*listen /.test(l)))
      assert.match(line, /^\s*listen (\[::\]:)?(80|443)( [a-z_0-9]+)*;$/, line);
  });

  it('caddy: the domain as the site address, HSTS and no Server header, the app on 127.0.0.1:<port>', async () => {
    const caddyfile = (await render({ proxy: 'caddy', domain: 'app.example.com', port: '4321' })).get(
      'deploy/Caddyfile',
    )!;
    assert.match(caddyfile, /^app\.example\.com \{$/m);
    assert.match(caddyfile, /^\t\tStrict-Transport-Security "max-age=63072000; includeSubDomains"$/m);
    assert.match(caddyfile, /^\t\t-Server$/m);
    assert.match(caddyfile, /^\treverse_proxy 127\.0\.0\.1:4321 \{$/m);
    assert.doesNotMatch(caddyfile, / {4}/, 'tabs, as caddy fmt writes them');
  });

  it(
    'nginx and caddy close idle connections to the app before the ' +
      "app does, and the app outlasts AWS's and Heroku's balancers",
    async () => {
      const seconds = (text: string, re: RegExp, what: string) => {
        const m = re.exec(text);
        assert.ok(m, `${what}: ${re} not found`);
        return Number(m[1]!.replaceAll('_', '')) / (m[2] === 'ms' ? 1000 : 1);
      };
      for (const proxy of PROXIES) {
        const server = (await render({ proxy: proxy.id })).get('src/server.js')!;
        const app = seconds(server, /^const KEEP_ALIVE_TIMEOUT_MS = ([\d_]+)();$/m, `${proxy.id}: src/server.js`);
        assert.match(server, /^server\.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;$/m, proxy.id);
        // Node's documentation: headersTimeout above keepAliveTimeout
        assert.match(server, /^server\.headersTimeout = KEEP_ALIVE_TIMEOUT_MS \+ \d+;$/m, proxy.id);
        assert.ok(
          app > 90,
          `${proxy.id}: the app's ${app} s must outlast Heroku's router (90 s) and AWS's load balancers (60 s)`,
        );
      }
      const files = await render({ proxy: 'nginx' });
      const app = seconds(files.get('src/server.js')!, /^const KEEP_ALIVE_TIMEOUT_MS = ([\d_]+)();$/m, 'src/server.js');
      const upstream = /upstream app_upstream \{[^}]*\}/.exec(files.get('deploy/nginx.conf')!)?.[0] ?? '';
      const nginx = seconds(upstream, /^\s*keepalive_timeout (\d+)(s);$/m, 'the upstream block of deploy/nginx.conf');
      assert.ok(nginx < app, `nginx keeps idle upstream connections ${nginx} s, the app ${app} s`);
      const caddyfile = (await render({ proxy: 'caddy' })).get('deploy/Caddyfile')!;
      const caddy = seconds(
        caddyfile,
        /^\t\ttransport http \{[^}]*?^\t\t\tkeepalive (\d+)(s)$/m,
        'the reverse_proxy transport of deploy/Caddyfile',
      );
      assert.ok(caddy < app, `Caddy keeps idle upstream connections ${caddy} s, the app ${app} s`);
    },
  );

  it(
    'nginx and the app serving HTTPS itself (none) offer the ' +
      'same TLS 1.2 ciphers, ECDHE only (no DHE without dhparams)',
    async () => {
      const conf = (await render({ proxy: 'nginx' })).get('deploy/nginx.conf')!;
      const lists = [...conf.matchAll(/^\s*ssl_ciphers (\S+);$/gm)].map((m) => m[1]!);
      assert.equal(lists.length, 2, 'the default server and the site');
      assert.equal(lists[0], lists[1], 'the default server and the site agree');
      assert.doesNotMatch(conf, /^\s*ssl_dhparam /m);
      const httpServer = (await render({ proxy: 'none' })).get('src/http-server.js')!;
      const block = /const MOZILLA_INTERMEDIATE_CIPHERS = \[([^\]]*)\]\.join\(':'\);/.exec(httpServer)?.[1];
      assert.ok(block, 'the cipher list in src/http-server.js');
      const none = [...block.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
      assert.deepEqual(
        none,
        lists[0]!.split(':'),
        'nginx.conf and the none app list the same ciphers, in the same order',
      );
      for (const cipher of none)
        assert.match(cipher, /^ECDHE-(ECDSA|RSA)-/, `${cipher}: a DHE suite is never offered without dhparams`);
      assert.doesNotMatch(httpServer, /\bdhparam:/);
    },
  );

  it('paas: a Procfile that starts the server directly', async () => {
    assert.equal((await render({ proxy: 'paas' })).get('Procfile'), 'web: node src/server.js\n');
  });
});
