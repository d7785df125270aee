// Installs a set of npm packages once into a directory under the system temp dir and reuses it on
// later runs: other Node versions (node-runtimes.ts) and package managers (package-manager-runtimes.ts)
// come from the npm registry this way. A marker file written after a successful install says it is
// complete; a lock directory serialises concurrent installs of the same directory.
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { childEnv, describeRun, runProcess } from './cli.ts';
import { acquireLock } from './generated-app.ts';

/**
 * Gives `dir` the node_modules of `manifest` (a package.json object), installing with npm unless a
 * complete earlier install is there and `ready()` (what the install must have left) still holds.
 * Resolves to true when it installed now, false when it reused an earlier install.
 */
export async function installOnce(
  dir: string,
  manifest: Record<string, unknown>,
  { what, ready = () => true, timeoutMs = 5 * 60_000 }: { what: string; ready?: () => boolean; timeoutMs?: number },
): Promise<boolean> {
  const marker = join(dir, '.complete');
  const complete = () => existsSync(marker) && ready();
  if (complete()) return false;
  await mkdir(dirname(dir), { recursive: true });
  const lock = `${dir}.lock`;
  await acquireLock(lock, timeoutMs);
  try {
    if (complete()) return false;
    await rm(dir, { recursive: true, force: true }); // a half-finished earlier attempt
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const result = await runProcess('npm', ['install', '--no-audit', '--no-fund'], {
      cwd: dir,
      env: childEnv({ CI: undefined, npm_config_loglevel: 'error' }),
      timeoutMs,
    });
    if (result.code !== 0) throw new Error(`npm install of ${what} failed: ${describeRun(result)}`);
    if (!ready()) throw new Error(`npm install of ${what} left an incomplete ${dir}: ${describeRun(result)}`);
    await writeFile(marker, new Date().toISOString());
    return true;
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
