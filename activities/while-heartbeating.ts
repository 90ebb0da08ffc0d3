import { Context } from '@temporalio/activity';

/**
 * Runs `work` while heartbeating `details()` every quarter of the activity's heartbeat timeout,
 * whatever `work` waits on (a rate limit, a slow or restarting Temporal server, a long visibility
 * page): the heartbeat says the worker lives, so only a dead worker's activity times out, and its
 * retry starts within the timeout. The SDK sends the latest details at most once per 0.8 × the
 * timeout; `details()` must always describe a state a retry can resume from.
 */
export async function whileHeartbeating<T>(details: () => unknown, work: () => Promise<T>): Promise<T> {
  const context = Context.current();
  const timeoutMs = context.info.heartbeatTimeoutMs;
  if (!timeoutMs) return work();
  context.heartbeat(details());
  const timer = setInterval(() => context.heartbeat(details()), Math.max(250, Math.floor(timeoutMs / 4)));
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
