// Exit codes are part of the CLI's contract: scripts branch on them.
export const EXIT = { ok: 0, failure: 1, usage: 2, cancelled: 130 } as const;

/** Bad input from the user: one line that names the problem and the fix; exit 2; nothing written. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failure we understand (a full disk, a failed install): one line, exit 1, no stack trace. */
export class FailedError extends Error {
  override name = 'FailedError';
}

/**
 * Ctrl-C or a closed prompt: exit 130. Nothing is left behind, except when the install was stopped:
 * then the message says the project was written and what to run to finish.
 */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor(message = 'Cancelled: nothing was written.') {
    super(message);
  }
}

/** A user's value inside a message: quoted, with newlines and control characters made visible. */
export function quote(value: string): string {
  return JSON.stringify(value);
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof CancelledError) return EXIT.cancelled;
  return EXIT.failure; // a FailedError, or anything we did not expect
}
