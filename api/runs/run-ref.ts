import { WorkflowNotFoundError } from '@temporalio/client';
import type { RequestParamHandler } from 'express';
import { kkOfRunId, parseTaskId, runIdOf, taskIdOf } from '../../domain/ids';
import type { ApiDeps } from '../api-deps';
import { rethrowTemporalError } from '../temporal-errors';

/**
 * The workflow id a run id that arrives at the API names. A run is known to Temporal by its
 * household's pseudonym (`run:<rollout>:<household key>`), but a person may name it by KK
 * (`run:<rollout>:<KK>`): that is the pseudonym's run if there is one, else a run started before
 * pseudonyms, whose id still holds the KK. Any other id is taken as it is.
 */
export async function resolveRunId(deps: Pick<ApiDeps, 'client' | 'householdKeyOf'>, runId: string): Promise<string> {
  const byKk = kkOfRunId(runId);
  if (!byKk) return runId;
  const pseudonymous = runIdOf(byKk.rolloutId, deps.householdKeyOf(byKk.familyCardNumber));
  try {
    await deps.client.workflow.getHandle(pseudonymous).describe();
    return pseudonymous;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return runId;
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
