// A store's typeOverrides (mysql: @types/express-mysql-session's own mysql2 clashes with the app's) reach
// each package manager in the one place it reads them: npm's and Bun's `overrides`, yarn 1's
// `resolutions`, pnpm-workspace.yaml's `overrides` (pnpm 11.2+ no longer reads package.json's
// pnpm.overrides, and no pnpm reads npm's). Only the TypeScript app has the @types package that needs it.
// That a pnpm-installed mysql TypeScript app type-checks: test/e2e/package-manager-overrides.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEPENDENCY_VERSIONS } from '../../src/dependency-versions.ts';
import { PACKAGE_MANAGERS, type PackageManager } from '../../src/package-managers.ts';
import type { Plan } from '../../src/plan.ts';
import { STORES } from '../../src/stores/index.ts';
import { plan } from '../helpers/plan.ts';

const MYSQL2 = DEPENDENCY_VERSIONS.mysql2;
const OVERRIDE_FIELDS = ['overrides', 'resolutions', 'pnpm'];

/** Where each manager must find the pin, and nothing of the others'. */
const EXPECTED: Record<PackageManager['id'], { packageJson: Record<string, unknown>; workspace?: string }> = {
  npm: { packageJson: { overrides: { mysql2: MYSQL2 } } },
  pnpm: { packageJson: {}, workspace: `overrides:\n  "mysql2": "${MYSQL2}"\n` },
  yarn: { packageJson: { resolutions: { mysql2: MYSQL2 } } },
  bun: { packageJson: { overrides: { mysql2: MYSQL2 } } },
};

function textOf(p: Plan, path: string): string | undefined {
  const file = p.files.find((f) => f.path === path);
  return file?.source.kind === 'text' ? file.source.text : undefined;
}

async function manifestAndWorkspace(overrides: Parameters<typeof plan>[0]) {
  const p = await plan(overrides);
  return {
    manifest: JSON.parse(textOf(p, 'package.json')!) as Record<string, unknown>,
    workspace: textOf(p, 'pnpm-workspace.yaml'),
  };
}

describe("a store's typeOverrides, in each package manager's own field", () => {
  for (const manager of PACKAGE_MANAGERS) {
    it(`${manager.id} + mysql, TypeScript: mysql2 pinned to the app's range where it reads that`, async () => {
      const { manifest, workspace } = await manifestAndWorkspace({ pm: manager.id, store: 'mysql', typescript: true });
      const expected = EXPECTED[manager.id];
      for (const field of OVERRIDE_FIELDS)
        assert.deepEqual(manifest[field], expected.packageJson[field], `package.json ${field}`);
      if (expected.workspace === undefined) assert.equal(workspace, undefined);
      else assert.ok(workspace?.endsWith(expected.workspace), `pnpm-workspace.yaml:\n${workspace}`);
    });

    it(`${manager.id}: no override in the JavaScript app, nor for a store that declares none`, async () => {
      for (const store of STORES) {
        for (const typescript of [false, true]) {
          if (typescript && store.typeOverrides?.length) continue;
          const { manifest, workspace } = await manifestAndWorkspace({ pm: manager.id, store: store.id, typescript });
          for (const field of OVERRIDE_FIELDS)
            assert.equal(manifest[field], undefined, `${store.id} (ts: ${typescript}): ${field}`);
          assert.doesNotMatch(workspace ?? '', /overrides/, `${store.id} (ts: ${typescript}): pnpm-workspace.yaml`);
        }
      }
    });
  }

  it('pnpm: install scripts and overrides share one pnpm-workspace.yaml, each section said why', () => {
    const pnpm = PACKAGE_MANAGERS.find((p) => p.id === 'pnpm')!;
    const { packageJson, files } = pnpm.settings({
      installScripts: [{ name: 'native-thing', has: 'scripts', run: true, why: 'it compiles its addon' }],
      overrides: { 'some-lib': '^2.1.0' },
    });
    assert.deepEqual(packageJson, {});
    assert.deepEqual(
      files.map((f) => f.path),
      ['pnpm-workspace.yaml'],
    );
    const lines = files[0]!.text.trimEnd().split('\n');
    assert.deepEqual(
      lines.filter((line) => !line.startsWith('#')),
      ['allowBuilds:', '  "native-thing": true', 'overrides:', '  "some-lib": "^2.1.0"'],
    );
    assert.equal(lines.filter((line) => line.startsWith('#')).length, 3, files[0]!.text);
  });
});
