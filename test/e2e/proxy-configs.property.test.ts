// Property: nginx and Caddy accept the proxy config generated for any domain and port the CLI takes
// (`nginx -t`, `caddy validate`). That no value changes the configs' structure is proven in process
// by test/unit/generated-code.property.test.ts.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { caddyValidate } from '../helpers/caddy.ts';
import { describeRun } from '../helpers/cli.ts';
import { nginxTest, prepareNginx } from '../helpers/nginx.ts';
import { makeTempDir } from '../helpers/paths.ts';
import { render } from '../helpers/plan.ts';
import { makeCert, type TestCert } from '../helpers/tls.ts';
import { needsTools } from '../helpers/tools.ts';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const domain = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.'));

describe('Caddy accepts every generated Caddyfile', needsTools('caddy'), () => {
  let tmp: { path: string; remove: () => Promise<void> } | undefined;
  before(async () => {
    tmp = await makeTempDir('caddy-property');
  });
  after(async () => {
    await tmp?.remove();
  });

  it('passes caddy validate for generated domains and ports', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(domain, fc.integer({ min: 1, max: 65535 }), async (host, port) => {
        const files = await render({ proxy: 'caddy', domain: host, port: String(port) });
        const path = join(tmp!.path, `Caddyfile-${run++}`);
        await writeFile(path, files.get('deploy/Caddyfile')!);
        const result = await caddyValidate(path);
        assert.equal(
          result.code,
          0,
          `caddy validate refused the Caddyfile for ${host}:${port}: ${describeRun(result)}`,
        );
      }),
      { numRuns: Math.min(RUNS, 15) },
    );
  });
});

describe('nginx accepts every generated proxy config', needsTools('nginx', 'openssl'), () => {
  let tmp: { path: string; remove: () => Promise<void> } | undefined;
  let cert: TestCert | undefined;
  before(async () => {
    tmp = await makeTempDir('nginx-property');
    cert = await makeCert('app.test');
  });
  after(async () => {
    await cert?.remove();
    await tmp?.remove();
  });

  it('passes nginx -t for generated domains and ports', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(domain, fc.integer({ min: 1, max: 65535 }), async (host, port) => {
        const files = await render({ domain: host, port: String(port) });
        const siteConfPath = join(tmp!.path, `site-${run++}.conf`);
        await mkdir(tmp!.path, { recursive: true });
        await writeFile(siteConfPath, files.get('deploy/nginx.conf')!);
        const site = await prepareNginx({ siteConfPath, cert: cert! });
        try {
          const result = await nginxTest(site);
          assert.equal(result.code, 0, `nginx -t refused the config for ${host}:${port}:\n${result.stderr}`);
        } finally {
          await site.remove();
        }
      }),
      { numRuns: Math.min(RUNS, 25) },
    );
  });
});
