export interface PackageManager {
  id: 'npm' | 'pnpm' | 'yarn' | 'bun';
  install: string;
  /** The command line that runs a package.json script. */
  run(script: string): string;
}

/** `<prefix> <script>` for the scripts that form is safe for, `<prefix> run <script>` for the rest. */
const runWith = (prefix: string, bare: readonly string[]) => (script: string) =>
  bare.includes(script) ? `${prefix} ${script}` : `${prefix} run ${script}`;

export const PACKAGE_MANAGERS: readonly PackageManager[] = [
  { id: 'npm', install: 'npm install', run: runWith('npm', ['start', 'test']) },
  // `pnpm <name>` runs pnpm's own command of that name when it has one (pnpm setup), so only these are bare.
  { id: 'pnpm', install: 'pnpm install', run: runWith('pnpm', ['dev', 'start', 'test']) },
  { id: 'yarn', install: 'yarn', run: runWith('yarn', ['dev', 'start', 'test']) },
  // `bun test` is Bun's own test runner, not the test script: always `bun run`.
  { id: 'bun', install: 'bun install', run: runWith('bun', []) },
];

/** The package manager that started us, read from the user agent npm, pnpm, yarn and bun all set. */
export function detectPackageManager(userAgent: string | undefined): PackageManager {
  const name = userAgent?.split('/')[0];
  return PACKAGE_MANAGERS.find((pm) => pm.id === name) ?? PACKAGE_MANAGERS[0]!;
}
