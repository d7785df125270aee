// Exit codes are part of the CLI's contract: scripts branch on them.
export const EXIT = { ok: 0, failure: 1, usage: 2, cancelled: 130 } as const;

/** Bad input from the user: one line that names the problem and the fix; exit 2; nothing written. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Ctrl-C or a closed prompt: exit 130, nothing left behind. */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor(message = 'Cancelled: nothing was written.') {
    super(message);
  }
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof CancelledError) return EXIT.cancelled;
  return EXIT.failure;
}
