// What the verifier reports: one result per check, printed one line each (✓, ✗ with the cause and
// the fix, or – with the reason it was not checked), or as one JSON object with --json.

export type Status = 'pass' | 'fail' | 'skip';

export interface Result {
  /** Stable, for scripts reading --json: "hsts", "session-cookie", ... */
  id: string;
  /** What must hold. */
  title: string;
  status: Status;
  /** What was seen (pass), or why it was not checked (skip). */
  detail?: string;
  /** What is wrong (fail). */
  cause?: string;
  /** What to change (fail). */
  fix?: string;
}

/** A check's outcome, before its id and title are added. */
export type Outcome = Omit<Result, 'id' | 'title'>;

export const pass = (detail: string): Outcome => ({ status: 'pass', detail });
export const fail = (cause: string, fix: string): Outcome => ({ status: 'fail', cause, fix });
export const skip = (detail: string): Outcome => ({ status: 'skip', detail });

/** Exit 0 only when nothing failed. A check skipped on purpose (--insecure, --skip-login) or one that cannot
 * hold on this setup is said as such, and does not fail the run. */
export function passed(results: readonly Result[]): boolean {
  return results.every((r) => r.status !== 'fail');
}

const MARK: Record<Status, string> = { pass: '✓', fail: '✗', skip: '–' };

export function textReport(results: readonly Result[]): string {
  const lines = results.map((r) => {
    const head = `${MARK[r.status]} ${r.id}: ${r.title}`;
    if (r.status === 'fail') return `${head}\n    cause: ${r.cause}\n    fix: ${r.fix}`;
    return `${head}${r.detail ? ` (${r.detail})` : ''}`;
  });
  const count = (status: Status) => results.filter((r) => r.status === status).length;
  const summary =
    `${count('pass')} passed, ${count('fail')} failed, ${count('skip')} not checked: ` +
    (passed(results) ? 'the deployment passes' : 'the deployment does NOT pass');
  return `${lines.join('\n')}\n${summary}`;
}
