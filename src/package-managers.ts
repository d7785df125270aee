export interface PackageManager {
  id: 'npm' | 'pnpm' | 'yarn' | 'bun';
  install: string;
  /** The command line that runs a package.json script. */
  run(script: string): string;
}

const runWith = (prefix: string, bare: boolean) => (script: string) =>
  bare || script === 'test' || script === 'start' ? `${prefix} ${script}` : `${prefix} run ${script}`;

export const PACKAGE_MANAGERS: readonly PackageManager[] = [
  { id: 'npm', install: 'npm install', run: runWith('npm', false) },
  { id: 'pnpm', install: 'pnpm install', run: runWith('pnpm', true) },
  { id: 'yarn', install: 'yarn', run: runWith('yarn', true) },
  { id: 'bun', install: 'bun install', run: runWith('bun', false) },
];

/** The package manager that started us, read from the user agent npm, pnpm, yarn and bun all set. */
export function detectPackageManager(userAgent: string | undefined): PackageManager {
  const name = userAgent?.split('/')[0];
  return PACKAGE_MANAGERS.find((pm) => pm.id === name) ?? PACKAGE_MANAGERS[0]!;
}
