// The package managers the CLI can install with and name in its next steps. Everything that differs
// between them is in this one table: their commands, their lockfile, how a user re-runs this CLI
// through them, how each is told which dependencies' install scripts may run, and how each is told
// to resolve a dependency of a dependency to a version of our choosing (an override).

/** A dependency with something to run at install, and whether it may run. */
export interface InstallScripts {
  name: string;
  /**
   * 'scripts': install scripts of its own. 'binding.gyp': none, only a binding.gyp it says not to
   * build (gypfile: false), which some managers build all the same.
   */
  has: 'scripts' | 'binding.gyp';
  run: boolean;
  /** One line for a file that can hold a comment. */
  why: string;
}

/** What the project needs a manager to be told, whichever manager it is. */
export interface ManagerNeeds {
  installScripts: readonly InstallScripts[];
  /** Package name -> the range every copy of it in node_modules must satisfy, dependencies' own included. */
  overrides: Readonly<Record<string, string>>;
}

/** How a manager is told the project's needs: package.json fields, and files of its own. */
export interface ManagerSettings {
  packageJson: Record<string, unknown>;
  files: { path: string; text: string }[];
}

export interface PackageManager {
  id: 'npm' | 'pnpm' | 'yarn' | 'bun';
  /** What a person types to install the dependencies; the CLI runs the same. */
  install: string;
  /** The lockfile `install` writes, which the first commit should hold. */
  lockfile: string;
  /** The command line that runs a package.json script. */
  run(script: string): string;
  /** The command line that runs this CLI through the manager, with these (already quoted) words. */
  create(words: string[]): string;
  /** How this manager is told the install-script decisions and overrides; nothing when there are none. */
  settings(needs: ManagerNeeds): ManagerSettings;
}

/** `<prefix> <script>` for the scripts that form is safe for, `<prefix> run <script>` for the rest. */
const runWith = (prefix: string, bare: readonly string[]) => (script: string) =>
  bare.includes(script) ? `${prefix} ${script}` : `${prefix} run ${script}`;

/** `{ [field]: value }`, or nothing when `value` is empty. */
const fieldIf = (field: string, value: Readonly<Record<string, unknown>> | readonly unknown[]) =>
  Object.keys(value).length === 0 ? {} : { [field]: value };

/** `<manager> create secure-session-app` runs the package create-secure-session-app (cli-args.ts's CLI_NAME). */
const CREATE_NAME = 'secure-session-app';

export const PACKAGE_MANAGERS: readonly PackageManager[] = [
  {
    id: 'npm',
    install: 'npm install',
    lockfile: 'package-lock.json',
    run: runWith('npm', ['start', 'test']),
    create: (words) => [`npx create-${CREATE_NAME}`, ...words].join(' '),
    // npm 11 runs a dependency's install scripts only when package.json's allowScripts says true. It
    // reads gypfile: false, so a binding.gyp alone needs no word (npm install-scripts prune drops one).
    // Overrides: package.json's overrides.
    settings: ({ installScripts, overrides }) => {
      const own = installScripts.filter((s) => s.has === 'scripts');
      return {
        packageJson: {
          ...fieldIf('overrides', overrides),
          ...fieldIf('allowScripts', Object.fromEntries(own.map((s) => [s.name, s.run]))),
        },
        files: [],
      };
    },
  },
  {
    id: 'pnpm',
    install: 'pnpm install',
    lockfile: 'pnpm-lock.yaml',
    // `pnpm <name>` runs pnpm's own command of that name when it has one (pnpm setup), so only these are bare.
    run: runWith('pnpm', ['dev', 'start', 'test']),
    create: (words) => [`pnpm create ${CREATE_NAME}`, ...words].join(' '),
    // pnpm runs install scripts only of dependencies that allowBuilds allows, read from
    // pnpm-workspace.yaml (pnpm 10.26+; pnpm 11+ reads it nowhere else), and warns on every install
    // about one it was not told of. pnpm 10 counts a binding.gyp that says gypfile: false; 11+ does not.
    // Overrides: pnpm-workspace.yaml's overrides (pnpm 10.5.1+); from 11.2 pnpm no longer reads
    // package.json's pnpm.overrides, and never read npm's overrides.
    settings: ({ installScripts, overrides }) => {
      const lines = [
        ...(installScripts.length === 0
          ? []
          : [
              '# Which dependencies may run install scripts (pnpm runs none it is not told about):',
              ...installScripts.map((s) => `# ${s.name}: ${s.run ? 'yes' : 'no'}, ${s.why}.`),
              'allowBuilds:',
              ...installScripts.map((s) => `  ${JSON.stringify(s.name)}: ${s.run}`),
            ]),
        ...(Object.keys(overrides).length === 0
          ? []
          : [
              "# The versions every copy of these packages must have, dependencies' own included:",
              'overrides:',
              ...Object.entries(overrides).map(
                ([name, range]) => `  ${JSON.stringify(name)}: ${JSON.stringify(range)}`,
              ),
            ]),
      ];
      return {
        packageJson: {},
        files: lines.length === 0 ? [] : [{ path: 'pnpm-workspace.yaml', text: `${lines.join('\n')}\n` }],
      };
    },
  },
  {
    id: 'yarn',
    install: 'yarn',
    lockfile: 'yarn.lock',
    run: runWith('yarn', ['dev', 'start', 'test']),
    create: (words) => [`yarn create ${CREATE_NAME}`, ...words].join(' '),
    // Yarn 1 has no allow-list: it runs every dependency's install scripts, and node-gyp for every
    // binding.gyp, even in a package that says gypfile: false. Overrides: package.json's resolutions.
    settings: ({ overrides }) => ({ packageJson: fieldIf('resolutions', overrides), files: [] }),
  },
  {
    id: 'bun',
    install: 'bun install',
    lockfile: 'bun.lock',
    // `bun test` is Bun's own test runner, not the test script: always `bun run`.
    run: runWith('bun', []),
    create: (words) => [`bun create ${CREATE_NAME}`, ...words].join(' '),
    // Bun runs install scripts of trustedDependencies or, while that lists none, of its built-in list
    // of popular packages: listing one replaces that list, so only those that must run are listed.
    // It reads gypfile: false, and has no way to say no to a package on its built-in list.
    // Overrides: npm's overrides, which Bun reads when they are top-level (as ours are).
    settings: ({ installScripts, overrides }) => {
      const trusted = installScripts.filter((s) => s.run).map((s) => s.name);
      return {
        packageJson: { ...fieldIf('overrides', overrides), ...fieldIf('trustedDependencies', trusted) },
        files: [],
      };
    },
  },
];

/** The package manager that started us, read from the user agent npm, pnpm, yarn and bun all set. */
export function detectPackageManager(userAgent: string | undefined): PackageManager {
  const name = userAgent?.split('/')[0];
  return PACKAGE_MANAGERS.find((pm) => pm.id === name) ?? PACKAGE_MANAGERS[0]!;
}
