import { isDeepStrictEqual } from 'node:util';
import type { AttemptState } from '../../domain/run-state';
import type { TaskOutcome, TaskProgress } from '../../domain/task-outcome';

/**
 * Temporal answers an update id it has seen with the first update's result, so a webhook-id
 * reused for another event would be acknowledged and silently dropped. What the run recorded
 * under this webhook id must be the event received; otherwise this names what differs.
 */
export function redeliveryConflict(recorded: AttemptState, received: TaskOutcome | TaskProgress): string | undefined {
  const id = received.source;
  if (recorded.taskId !== received.taskId) return `webhook-id ${id} was used for task ${recorded.taskId}, not ${received.taskId}`;
  const progress = recorded.progress?.find((p) => p.source === id);
  if ('outcome' in received) {
    if (recorded.closedBy !== id) return progress ? `webhook-id ${id} was used for a task.${progress.kind} event` : undefined;
    const differs = (['outcome', 'result', 'reason'] as const).filter((k) => !isDeepStrictEqual(recorded[k], received[k]));
    return differs.length > 0 ? `webhook-id ${id} was used for an event with another ${differs.join(', ')}` : undefined;
  }
  if (!progress) return recorded.closedBy === id ? `webhook-id ${id} was used for the task's outcome (${recorded.outcome})` : undefined;
  const differs = (['kind', 'data', 'note'] as const).filter((k) => !isDeepStrictEqual(progress[k], k === 'kind' ? received.kind : received[k]));
  return differs.length > 0 ? `webhook-id ${id} was used for an event with another ${differs.join(', ')}` : undefined;
}
