// The pipeline, top to bottom: arguments → target → prompts → options → plan → render → write →
// install → git → next steps. Each step is a small module; this file only puts them in order.
import { readFileSync } from 'node:fs';
import { parseArgs, type ParsedArgs } from './cli-args.js';
import { makeDevSecrets } from './env-file.js';
import { CancelledError, EXIT, exitCodeFor, FailedError, UsageError } from './errors.js';
import { initGit, type GitResult } from './git.js';
import { installDependencies, isInstalled } from './install.js';
import { equivalentCommand, finishInstall, flagWords, nextSteps } from './next-steps.js';
import { describeOptions } from './describe-options.js';
import type { ResolvedOptions } from './options.js';
import { createOutput, type Output } from './output.js';
import { layersFor, planProject, type Plan } from './plan.js';
import { askDirectory, terminalPrompt } from './prompts.js';
import { renderPlan } from './render.js';
import { resolveOptions } from './resolve-options.js';
import { listTemplates } from './templates.js';
import { resolveTarget } from './project-name.js';
import { checkTargetDirectory, writeProject } from './write.js';

const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
const DEFAULT_DIRECTORY = 'secure-session-app';

export async function main(argv: readonly string[], cwd = process.cwd()): Promise<number> {
  const out = createOutput(argv.includes('--json'));
  const abort = new AbortController();
  const onSigint = () => abort.abort(new CancelledError());
  process.on('SIGINT', onSigint);
  try {
    const parsed = parseArgs(argv, VERSION, process.env);
    if (parsed.kind === 'exit') return parsed.code;
    return await create(parsed.args, cwd, out, abort.signal);
  } catch (error) {
    const code = abort.signal.aborted ? EXIT.cancelled : exitCodeFor(error);
    // A CancelledError says what was left (nothing, or a project whose install was stopped).
    const message =
      abort.signal.aborted && !(error instanceof CancelledError)
        ? new CancelledError().message
        : (error as Error).message;
    if (argv.includes('--json')) out.json({ ok: false, exitCode: code, error: { message } });
    const expected = error instanceof UsageError || error instanceof FailedError || code === EXIT.cancelled;
    const shown = expected ? message : ((error as Error).stack ?? message);
    out.info(`${out.color.red('error:')} ${shown}`);
    return code;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

async function create(args: ParsedArgs, cwd: string, out: Output, signal: AbortSignal): Promise<number> {
  const noPrompts = whyNoPrompts(args, process.env);
  const interactive = noPrompts === undefined;
  const directory = args.directory ?? (interactive ? await askForDirectory(cwd, signal) : DEFAULT_DIRECTORY);
  const target = resolveTarget(directory, cwd);
  // Refuse a non-empty directory before asking anything else.
  await checkTargetDirectory(target.dir, args.force);
  const { options, answers, asked, defaulted } = interactive
    ? await resolveOptions(args.given, terminalPrompt(signal))
    : resolveOptions(args.given);
  if (options.install && !args.dryRun && !(await isInstalled(options.pm.id))) {
    throw new UsageError(
      `--pm ${options.pm.id}: ${options.pm.id} is not installed (not found ` +
        `on PATH); install it, choose another --pm, or pass --no-install.`,
    );
  }
  if (noPrompts !== undefined && noPrompts !== '--yes' && Object.keys(defaulted).length > 0) {
    const list = Object.entries(defaulted)
      .map(([key, value]) => flagWords(key, value))
      .join(' ');
    const where = args.directory ? '' : ` into ./${directory}`;
    out.info(`${NO_PROMPTS[noPrompts]}, so defaults were taken${where}: ${list}. Pass --yes to take them quietly.`);
  }
  const templates = await listTemplates(layersFor(options));
  const plan = planProject(options, target, templates, makeDevSecrets());
  const files = await renderPlan(plan);
  if (args.dryRun) return report(out, args, plan, options, { written: false, installed: false, git: 'skipped' }, cwd);

  await writeProject(target.dir, files, args.force, signal);
  out.info(`${out.color.green('✔')} Wrote ${files.length} files to ${target.dir}`);
  const installed = options.install ? await installDependencies(target.dir, options.pm, out, signal) : false;
  if (signal.aborted) {
    const skipped = options.git ? ' (git init was skipped too)' : '';
    throw new CancelledError(
      `Install stopped: the project was written to ${target.dir}, but its dependencies are not ` +
        `all installed${skipped}. To finish, run: ${finishInstall(target.dir, cwd, options.pm)}`,
    );
  }
  const git: GitResult = options.git ? await initGit(target.dir, out) : 'skipped';
  // Only a run that asked something has prompts to skip.
  if (interactive && (args.directory === undefined || asked.length > 0)) {
    const again = equivalentCommand(directory, answers, options);
    out.info(`\nTo skip the prompts next time, run:\n  ${again.command}`);
    if (again.note) out.info(again.note);
  }
  const code = report(out, args, plan, options, { written: true, installed, git }, cwd);
  return options.install && !installed ? EXIT.failure : code;
}

type NoPrompts = '--yes' | '--json' | 'CI' | 'stdin' | 'stdout';

const NO_PROMPTS: Record<Exclude<NoPrompts, '--yes'>, string> = {
  '--json': 'No questions with --json',
  CI: 'No questions while CI is set in the environment',
  stdin: 'No terminal to ask in (stdin is not a terminal)',
  stdout: 'No terminal to ask in (stdout is not a terminal)',
};

/** Why this run asks nothing, the first reason that holds; undefined when it may prompt. */
function whyNoPrompts(args: ParsedArgs, env: NodeJS.ProcessEnv): NoPrompts | undefined {
  if (args.yes) return '--yes';
  if (args.json) return '--json';
  if (env.CI) return 'CI';
  if (!process.stdin.isTTY) return 'stdin';
  if (!process.stdout.isTTY) return 'stdout';
  return undefined;
}

async function askForDirectory(cwd: string, signal: AbortSignal): Promise<string> {
  return askDirectory(
    DEFAULT_DIRECTORY,
    (value) => {
      try {
        resolveTarget(value, cwd);
        return true;
      } catch (error) {
        return (error as Error).message;
      }
    },
    signal,
  );
}

interface Outcome {
  written: boolean;
  installed: boolean;
  git: GitResult;
}

function report(out: Output, args: ParsedArgs, plan: Plan, options: ResolvedOptions, outcome: Outcome, cwd: string) {
  const steps = nextSteps(plan.target.dir, cwd, options.pm, outcome.installed, options.port);
  if (args.json) {
    out.json({
      ok: true,
      dryRun: args.dryRun,
      directory: plan.target.dir,
      packageName: plan.target.packageName,
      options: describeOptions(options),
      files: plan.files.map((file) => file.path),
      ...outcome,
      nextSteps: steps,
    });
    return EXIT.ok;
  }
  if (!outcome.written) {
    out.result(`Would write ${plan.files.length} files to ${plan.target.dir}:`);
    for (const file of plan.files) out.result(`  ${file.path}`);
    out.result('Nothing was written (--dry-run).');
    return EXIT.ok;
  }
  out.result(`\n${out.color.bold('Next steps:')}`);
  for (const step of steps) out.result(`  ${step}`);
  out.result(`\nBefore going live, read "Before going live" in ${plan.target.packageName}'s README.md.`);
  return EXIT.ok;
}
