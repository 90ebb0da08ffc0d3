import { WorkflowNotFoundError } from '@temporalio/client';
import type { RequestParamHandler } from 'express';
import { kkOfRunId, parseTaskId, runIdOf, taskIdOf } from '../../domain/ids';
import type { ApiDeps } from '../api-deps';
import { rethrowTemporalError } from '../temporal-errors';

/**
 * The workflow id a run id that arrives at the API names. A run is known to Temporal by its
 * household's pseudonym (`run:<rollout>:<household key>`), but a person may name it by KK
 * (`run:<rollout>:<KK>`): that is a run started before pseudonyms if one still has that id, else
 * the pseudonym's run. Looking up the old id (not the pseudonym's) first means a run outside the
 * caller's regions and one that does not exist are both answered under the pseudonym's id, so the
 * answer does not tell them apart. Any other id is taken as it is.
 */
export async function resolveRunId(deps: Pick<ApiDeps, 'client' | 'householdKeyOf'>, runId: string): Promise<string> {
  const byKk = kkOfRunId(runId);
  if (!byKk) return runId;
  try {
    await deps.client.workflow.getHandle(runId).describe();
    return runId;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return runIdOf(byKk.rolloutId, deps.householdKeyOf(byKk.familyCardNumber));
    rethrowTemporalError(err);
  }
}

/** A task id likewise: the task of the run its run id names, as resolveRunId finds it. */
export async function resolveTaskId(deps: Pick<ApiDeps, 'client' | 'householdKeyOf'>, taskId: string): Promise<string> {
  const ref = parseTaskId(taskId);
  if (!ref) return taskId;
  const runId = await resolveRunId(deps, ref.runId);
  return runId === ref.runId ? taskId : taskIdOf(runId, ref.stepKey, ref.attempt);
}

/** A path parameter replaced by what `resolve` makes of it, before the route parses it (router.param). */
export function resolvedParam(resolve: (value: string) => Promise<string>): RequestParamHandler {
  return (req, _res, next, value: string, name: string) => {
    resolve(value).then((resolved) => {
      req.params[name] = resolved;
      next();
    }, next);
  };
}
