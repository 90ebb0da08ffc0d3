const noop = () => undefined;

/**
 * Runs a workflow's writes (local activities) one at a time, in the order asked. Two local
 * activities in flight at once, say a message handler's and the workflow's own, are resolved
 * live in the order they finish but on replay in the order they were scheduled, and the commands
 * after them then no longer match the history (nondeterminism: the run stuck). With no write in
 * flight, a write is scheduled at once, in the same activation as before this existed.
 * Not `enabled` (a run from before its patch): each write as it was, not even an extra await.
 */
export function oneAtATime(enabled = true): <T>(write: () => Promise<T>) => Promise<T> {
  if (!enabled) return (write) => write();
  let inFlight: Promise<unknown> | undefined;
  return async (write) => {
    while (inFlight) await inFlight.then(noop, noop);
    const written = write();
    inFlight = written;
    try {
      return await written;
    } finally {
      if (inFlight === written) inFlight = undefined;
    }
  };
}
