import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { Agency } from '../../domain/agency';
import { FailureType } from '../../domain/failure-types';
import { parseTaskId } from '../../domain/ids';
import type { AttemptState, RunState } from '../../domain/run-state';
import { TaskOutcomeKindSchema, type TaskOutcome, type TaskProgress } from '../../domain/task-outcome';
import type { WebhookEvent } from '../../domain/webhook-event';
import { reportOutcomeUpdate, reportProgressUpdate } from '../../workflows/household-run-messages';
import type { ApiDeps } from '../api-deps';
import { AppError, type FieldIssue } from '../app-error';
import { readRunState } from '../runs/read-run-state';
import { resolveTaskId } from '../runs/run-ref';
import { isTemporalUnavailable, temporalUnavailable } from '../temporal-errors';
import { redeliveryConflict } from './redelivery-conflict';

/** How long a webhook waits for the run to accept its outcome before the ministry is told to retry. */
const acceptTimeoutMs = 15_000;

const outcomeOf = { 'task.completed': 'completed', 'task.rejected': 'rejected', 'task.failed': 'failed' } as const;
const progressOf = { 'task.acknowledged': 'acknowledged', 'task.progress': 'progress' } as const;

/** The answer to an outcome (completed, rejected, failed) and to news (acknowledged, progress). */
export const RecordedOutcomeSchema = z.object({ taskId: z.string(), outcome: TaskOutcomeKindSchema, closedAt: z.string() });
export const RecordedProgressSchema = z.object({ taskId: z.string(), recorded: z.enum(['task.acknowledged', 'task.progress']) });

/**
 * Delivers a ministry's report (outcome or progress) to its run as an Update whose id is the
 * webhook id: the answer is 2xx only once the run has durably accepted it, and a redelivery
 * gets the first answer.
 */
export async function reportOutcome(deps: ApiDeps, agency: Agency, webhookId: string, event: WebhookEvent) {
  // A task of a run named by KK is the task of the run Temporal knows by the household's pseudonym.
  const taskId = await resolveTaskId(deps, event.data.taskId);
  const ref = parseTaskId(taskId);
  if (!ref) throw new AppError('not_found', `unknown task ${taskId}`);
  const handle = deps.client.workflow.getHandle(ref.runId);
  const common = { taskId, agency, reportedAt: event.timestamp, source: webhookId };
  try {
    return await deps.client.withDeadline(Date.now() + acceptTimeoutMs, async () => {
      if (event.type === 'task.acknowledged' || event.type === 'task.progress') {
        const progress: TaskProgress = {
          ...common,
          kind: progressOf[event.type],
          data: 'progress' in event.data ? event.data.progress : undefined,
          note: event.data.note,
        };
        const attempt = await handle.executeUpdate(reportProgressUpdate, { args: [progress], updateId: webhookId });
        refuseConflict(attempt, progress);
        return { taskId, recorded: event.type };
      }
      const outcome: TaskOutcome = {
        ...common,
        outcome: outcomeOf[event.type],
        result: 'result' in event.data ? event.data.result : undefined,
        reason: 'reason' in event.data ? event.data.reason : undefined,
      };
      const attempt = await handle.executeUpdate(reportOutcomeUpdate, { args: [outcome], updateId: webhookId });
      refuseConflict(attempt, outcome);
      return { taskId, outcome: attempt.outcome, closedAt: attempt.closedAt };
    });
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) throw refusal(err.cause, taskId);
    if (err instanceof WorkflowNotFoundError) throw await closedRunAnswer(deps, ref.runId, taskId, err);
    if (isTemporalUnavailable(err)) throw temporalUnavailable(err);
    throw err;
  }
}

function refuseConflict(recorded: AttemptState, received: TaskOutcome | TaskProgress): void {
  const conflict = redeliveryConflict(recorded, received);
  if (conflict) throw new AppError('conflict', `${conflict}: a new event needs a new webhook-id`, { fields: [{ field: 'headers.webhook-id', message: 'already used for a different event' }] });
}

function refusal(failure: ApplicationFailure, taskId: string): AppError {
  switch (failure.type) {
    case FailureType.UnknownTask:
      return new AppError('not_found', failure.message);
    case FailureType.WrongAgency:
      return new AppError('forbidden', failure.message);
    case FailureType.TaskAlreadyClosed:
      return new AppError('conflict', failure.message, { details: { taskId } });
    case FailureType.InvalidResult: {
      const issues = (failure.details?.[0] ?? []) as { path: string; message: string }[];
      const fields: FieldIssue[] = issues.map((i) => ({ field: `body.data.${i.path}`, message: i.message }));
      return new AppError('unprocessable', failure.message, { fields });
    }
    default:
      return new AppError('internal', 'the run refused the outcome', { cause: failure });
  }
}

/** An update to a run that has ended: the task is closed (409) if the run had it, otherwise unknown (404). */
async function closedRunAnswer(deps: ApiDeps, runId: string, taskId: string, cause: unknown): Promise<AppError> {
  let state: RunState;
  try {
    // A ministry's webhook reaches runs of every region; its agency is what limits it.
    ({ state } = await readRunState(deps, runId, 'national'));
  } catch {
    return new AppError('not_found', `unknown task ${taskId}`, { cause });
  }
  const attempt = state.steps.flatMap((s) => s.attempts).find((a) => a.taskId === taskId);
  if (!attempt) return new AppError('not_found', `unknown task ${taskId}`, { cause });
  return new AppError('conflict', `task ${taskId} is already ${attempt.outcome ?? 'closed'}: its run has ended`, {
    details: { taskId, task: attempt, runStatus: state.status },
  });
}
