// One error type for "the session store failed", answered with 503 by the error handler.
export class SessionStoreError extends Error {
  constructor(cause: unknown) {
    super('session store unavailable', { cause });
    this.name = 'SessionStoreError';
  }
}

export function storeUnavailable(err: unknown): SessionStoreError {
  return err instanceof SessionStoreError ? err : new SessionStoreError(err);
}
