import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { Agency } from '../../domain/agency';
import { FailureType } from '../../domain/failure-types';
import { findOpenAttempt } from '../../domain/check-outcome';
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
  const received: TaskOutcome | TaskProgress =
    event.type === 'task.acknowledged' || event.type === 'task.progress'
      ? { ...common, kind: progressOf[event.type], data: 'progress' in event.data ? event.data.progress : undefined, note: event.data.note }
      : {
          ...common,
          outcome: outcomeOf[event.type],
          result: 'result' in event.data ? event.data.result : undefined,
          reason: 'reason' in event.data ? event.data.reason : undefined,
        };
  // Webhook ids are unique per sender (Standard Webhooks): two ministries may use the same one on one run.
  const updateId = `${agency}:${webhookId}`;
  try {
    return await deps.client.withDeadline(Date.now() + acceptTimeoutMs, async () => {
      const attempt = 'outcome' in received ? await handle.executeUpdate(reportOutcomeUpdate, { args: [received], updateId }) : await handle.executeUpdate(reportProgressUpdate, { args: [received], updateId });
      refuseConflict(attempt, received);
      return answerOf(taskId, received, attempt);
    });
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      // The task is closed: a redelivery Temporal did not know by its update id (sent before the ids named the agency) is known by the record.
      if (err.cause.type === FailureType.TaskAlreadyClosed) return await answerOfClosedTask(deps, ref.runId, received, err, refusal(err.cause, taskId));
      throw refusal(err.cause, taskId);
    }
    if (err instanceof WorkflowNotFoundError) return await answerOfClosedTask(deps, ref.runId, received, err);
    if (isTemporalUnavailable(err)) throw temporalUnavailable(err);
    throw err;
  }
}

/** The 200's body: an outcome's as the run recorded it (the first one, for a redelivery), or the news recorded. */
function answerOf(taskId: string, received: TaskOutcome | TaskProgress, attempt: AttemptState) {
  if (!('outcome' in received)) return { taskId, recorded: `task.${received.kind}` as const };
  return { taskId, outcome: attempt.outcome!, closedAt: attempt.closedAt! };
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

/**
 * A report for a closed task or a run that has ended, answered from the run's record, where
 * Temporal did not recognise a redelivery by its update id (the first delivery came under the
 * older id, the webhook id alone; Temporal itself answers an update id it knows, even after the
 * run has ended). A redelivery of what the run recorded (the same webhook-id
 * and event, from the task's agency) gets the first answer; anything else for a task the run had
 * is a 409 (the task is closed), or a 403 from another agency; a task it never had, a 404.
 */
async function answerOfClosedTask(deps: ApiDeps, runId: string, received: TaskOutcome | TaskProgress, cause: unknown, refusedByRun?: AppError) {
  const taskId = received.taskId;
  let state: RunState;
  try {
    // A ministry's webhook reaches runs of every region; its agency is what limits it.
    ({ state } = await readRunState(deps, runId, 'national'));
  } catch (err) {
    // Gone from Temporal (after its retention): unknown. Temporal or the records store out of reach: retry later.
    if (err instanceof WorkflowNotFoundError || (err instanceof AppError && err.code === 'not_found')) throw new AppError('not_found', `unknown task ${taskId}`, { cause });
    if (isTemporalUnavailable(err)) throw temporalUnavailable(err);
    throw err;
  }
  // Checked as a run started now checks it: its task, its agency's (403 to another, as while it ran), then closed.
  const found = findOpenAttempt(state, received);
  if (!found.ok && found.type !== FailureType.TaskAlreadyClosed) throw refusal(ApplicationFailure.create({ type: found.type, message: found.message }), taskId);
  const attempt = found.ok ? found.attempt : state.steps.flatMap((s) => s.attempts).find((a) => a.taskId === taskId)!;
  const redelivered = 'outcome' in received ? attempt.closedBy === received.source : attempt.progress?.some((p) => p.source === received.source);
  if (redelivered) {
    refuseConflict(attempt, received);
    return answerOf(taskId, received, attempt);
  }
  // The run's own refusal while it goes on; once it has ended, the task as it was left.
  throw refusedByRun ?? new AppError('conflict', `task ${taskId} is already ${attempt.outcome ?? 'closed'}: its run has ended`, {
    details: { taskId, task: attempt, runStatus: state.status },
  });
}
