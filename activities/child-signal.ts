import { setMaxListeners } from 'node:events';

/**
 * Runs `work` with a signal of its own that aborts when `parent` does. The Temporal client adds an
 * abort listener to the signal of every call made under `withAbortSignal` and does not remove it
 * when the call ends (seen with @temporalio/client 1.24: 16 listeners left after 16 calls), so a
 * rollout batch of hundreds of starts under the activity's one signal grew its listeners without
 * bound (Node's MaxListenersExceededWarning). Here the client's listeners land on a signal that
 * is dropped with `work`, and the activity's signal keeps one listener, removed after it.
 */
export async function withChildSignal<T>(parent: AbortSignal, maxListeners: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const child = new AbortController();
  setMaxListeners(maxListeners, child.signal);
  if (parent.aborted) child.abort(parent.reason);
  const abort = () => child.abort(parent.reason);
  parent.addEventListener('abort', abort, { once: true });
  try {
    return await work(child.signal);
  } finally {
    parent.removeEventListener('abort', abort);
  }
}
