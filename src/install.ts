import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import type { PackageManager } from './package-managers.js';
import { progress, type Output } from './output.js';
import { run } from './run.js';

/**
 * Runs the package manager in the new project; its output is kept for the error message. An abort
 * (Ctrl-C) stops the manager and returns false; the caller says how to finish.
 */
export async function installDependencies(
  dir: string,
  pm: PackageManager,
  out: Output,
  signal?: AbortSignal,
): Promise<boolean> {
  const done = progress(out, `Installing dependencies with ${pm.id}`);
  const [command, ...args] = pm.install.split(' ') as [string, ...string[]];
  let result = await run(command, args, dir, signal);
  // Yarn 1 saves no yarn.lock when it had to install node-gyp globally first (yarnpkg/yarn#3728);
  // the second install finds node-gyp and writes it, so the first commit holds the lockfile.
  if (result.code === 0 && !signal?.aborted && !(await exists(path.join(dir, pm.lockfile))))
    result = await run(command, args, dir, signal);
  if (signal?.aborted) {
    done(`${out.color.red('✖')} Stopped ${pm.install}`);
    return false;
  }
  if (result.code === 0) {
    done(`${out.color.green('✔')} Installed dependencies with ${pm.id}`);
    return true;
  }
  done(`${out.color.red('✖')} ${pm.install} failed${result.code === null ? '' : ` (exit ${result.code})`}`);
  out.info(result.output.trim().split('\n').slice(-15).join('\n'));
  return false;
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

/** Whether `command` is on PATH, so a missing package manager is refused before anything is written. */
export async function isInstalled(command: string, env = process.env): Promise<boolean> {
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const extension of extensions) {
      if (
        await access(path.join(dir, command + extension), constants.X_OK).then(
          () => true,
          () => false,
        )
      )
        return true;
    }
  }
  return false;
}
