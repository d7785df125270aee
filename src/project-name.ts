// The project argument: the directory to create and the package.json name it implies, both checked
// before anything else is asked.
import path from 'node:path';
import { builtinModules } from 'node:module';
import validateNpmName from 'validate-npm-package-name';
import { quote, UsageError } from './errors.js';

export interface ProjectTarget {
  /** Absolute path of the directory to create. */
  dir: string;
  /** The generated package.json's name. */
  packageName: string;
}

/**
 * `my-app`, `./apps/my-app` and `@scope/my-app` are all fine; the last one is written to `my-app`
 * and keeps its scope in package.json.
 */
export function resolveTarget(input: string, cwd: string): ProjectTarget {
  const trimmed = input.trim();
  if (trimmed === '') throw new UsageError('The project directory is empty: name one, such as my-app.');
  const scoped = /^@[^/\\]+\/[^/\\]+$/.test(trimmed);
  const dir = path.resolve(cwd, scoped ? trimmed.split('/')[1]! : trimmed);
  const packageName = scoped ? trimmed : path.basename(dir);
  const problem = packageNameProblem(packageName);
  if (problem) {
    throw new UsageError(
      `Invalid project name ${quote(packageName)}: ${problem}. Try ${quote(suggestName(packageName))}.`,
    );
  }
  return { dir, packageName };
}

function packageNameProblem(name: string): string | undefined {
  if (builtinModules.includes(name)) return 'it is the name of a Node.js core module';
  const result = validateNpmName(name);
  if (result.validForNewPackages) return undefined;
  const reason = [...(result.errors ?? []), ...(result.warnings ?? [])][0] ?? 'it is not a valid npm package name';
  // validate-npm-package-name speaks of the history of npm's rules; say what the rule is.
  return reason
    .replace(/^name can no longer contain/, 'npm package names cannot contain')
    .replace(/^name can only contain/, 'npm package names may only contain')
    .replace(/^name cannot/, 'npm package names cannot')
    .replace(/^name /, 'the name ')
    .replace(/^(node_modules|favicon\.ico) is not a valid package name$/, '$1 is a name npm reserves');
}

export function suggestName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9-]+/g, '-') // not ~: validate-npm-package-name 7 refuses it in new names
    .replace(/^-+|-+$/g, '')
    .slice(0, 214);
  const candidate = cleaned === '' || cleaned === 'node_modules' || cleaned === 'favicon.ico' ? 'my-app' : cleaned;
  return builtinModules.includes(candidate) ? `${candidate}-app` : candidate;
}
