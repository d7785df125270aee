// What stands in front of an app process in a security deployment: the generated deploy/nginx.conf
// or deploy/Caddyfile, run for real; for paas and custom a test nginx in the place of the platform's
// router or the user's proxy (it is not part of the generated app); for none, nothing.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { prepareCaddy, startCaddy, type CaddyPrefix } from './caddy.ts';
import { DOMAIN } from './constants.ts';
import { prepareNginx, startNginx, type NginxPrefix } from './nginx.ts';
import type { SecuritySetup } from './security-setups.ts';
import type { TestCert } from './tls.ts';

/** What stands in front of one app process. */
export interface Front {
  httpsPort: number;
  httpPort: number;
  stop(): Promise<void>;
  remove(): Promise<void>;
}

/**
 * The test front for paas and custom: what the platform's router or the user's proxy does, written
 * here (it is not part of the generated app). TLS on 443; the client's address appended to
 * X-Forwarded-For; plain HTTP on 80 forwarded, not redirected, with X-Forwarded-Proto: http. On 443 a
 * request for another host name is refused, as a router that routes by host name does (the app's own
 * `npm run verify` checks it, row #24); port 80 forwards any, so the app's pinned redirect is seen (#22).
 */
function testFrontConf(appPort: number, role: string): string {
  const forward = (scheme: string) => [
    `        proxy_pass http://127.0.0.1:${appPort};`,
    '        proxy_http_version 1.1;',
    '        proxy_set_header Connection "";',
    '        proxy_set_header Host $host;',
    '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    `        proxy_set_header X-Forwarded-Proto ${scheme};`,
  ];
  return [
    `# The test's stand-in for ${role}: not generated, written by test/helpers/security-fronts.ts.`,
    'server {',
    '    listen 80;',
    `    server_name ${DOMAIN};`,
    '    location / {',
    ...forward('http'),
    '    }',
    '}',
    'server {',
    '    listen 443 ssl default_server;',
    '    server_name _;',
    '    ssl_reject_handshake on;',
    '    return 444;',
    '}',
    'server {',
    '    listen 443 ssl;',
    `    server_name ${DOMAIN};`,
    '    ssl_certificate /etc/ssl/certs/test.crt;',
    '    ssl_certificate_key /etc/ssl/private/test.key;',
    '    ssl_protocols TLSv1.2 TLSv1.3;',
    '    location / {',
    ...forward('https'),
    '    }',
    '}',
    '',
  ].join('\n');
}

/** Starts the server on its prepared `site`, whose files are removed when it does not start. */
async function startOrRemove<S extends { remove(): Promise<void> }, R>(
  site: S,
  start: (site: S) => Promise<R>,
): Promise<R> {
  try {
    return await start(site);
  } catch (error) {
    await site.remove();
    throw error;
  }
}

/**
 * Starts the setup's front for the app on `appPort`, of the generated project in `appDir` (generated
 * for `generatedPort`: the front's upstream is rewritten when they differ); undefined for `none`.
 */
export async function startFront(
  setup: SecuritySetup,
  cert: TestCert,
  o: { appDir: string; appPort: number; generatedPort: number; label: string },
): Promise<Front | undefined> {
  const { appDir, appPort, generatedPort, label } = o;
  switch (setup.proxy) {
    case 'none':
      return undefined;
    case 'nginx':
    case 'paas':
    case 'custom': {
      let siteConfPath = join(appDir, 'deploy', 'nginx.conf');
      if (setup.proxy !== 'nginx') {
        siteConfPath = join(appDir, '..', `test-front-${label}.conf`);
        await writeFile(
          siteConfPath,
          testFrontConf(appPort, setup.proxy === 'paas' ? "the platform's router" : 'the proxy'),
        );
      }
      const site: NginxPrefix = await prepareNginx({
        siteConfPath,
        cert,
        ...(setup.proxy === 'nginx' && appPort !== generatedPort ? { upstreamPorts: [appPort] } : {}),
      });
      const nginx = await startOrRemove(site, startNginx);
      return { httpsPort: site.httpsPort, httpPort: site.httpPort, stop: () => nginx.stop(), remove: site.remove };
    }
    case 'caddy': {
      const site: CaddyPrefix = await prepareCaddy({
        caddyfilePath: join(appDir, 'deploy', 'Caddyfile'),
        cert,
        ...(appPort !== generatedPort ? { upstreamPorts: [appPort] } : {}),
      });
      const caddy = await startOrRemove(site, startCaddy);
      return { httpsPort: site.httpsPort, httpPort: site.httpPort, stop: () => caddy.stop(), remove: site.remove };
    }
  }
}
