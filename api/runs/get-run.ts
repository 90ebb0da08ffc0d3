import { WorkflowNotFoundError } from '@temporalio/client';
import type { RegionScope } from '../../domain/region-scope';
import { ForcedStartSchema } from '../../domain/screening';
import type { ApiDeps } from '../api-deps';
import { rethrowTemporalError } from '../temporal-errors';
import { readRunState, runNotFound } from './read-run-state';

/** The run's state as last recorded (or, once completed, its result) plus Temporal's view of it; not found outside the scope. */
export async function getRun(deps: ApiDeps, runId: string, scope: RegionScope) {
  try {
    const { description, state } = await readRunState(deps, runId, scope);
    // A manager's forced start is kept in the run's memo (api/runs/start-run.ts).
    const forced = ForcedStartSchema.safeParse(description.memo?.forcedStart);
    return {
      runId,
      temporal: {
        status: description.status.name,
        runId: description.runId,
        startTime: description.startTime.toISOString(),
        closeTime: description.closeTime?.toISOString(),
        historyLength: description.historyLength,
      },
      state,
      ...(forced.success && { forced: forced.data }),
    };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw runNotFound(runId);
    rethrowTemporalError(err);
  }
}
