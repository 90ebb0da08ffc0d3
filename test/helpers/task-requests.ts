import type { TaskRequest } from '../../domain/task-request';
import type { Household } from '../../domain/household';
import { taskIdOf } from '../../domain/ids';
import type { PlanStep } from '../../domain/program-plan';
import { makeHousehold } from './households';
import { runIdFor } from './runs';

/** What the workflow would ask an adapter for this step of a fresh household's run. */
export function taskRequest(step: PlanStep, rolloutId: string, household: Household = makeHousehold()): TaskRequest {
  const runId = runIdFor(rolloutId, household);
  return { taskId: taskIdOf(runId, step.key, 1), runId, stepKey: step.key, attempt: 1, agency: step.agency, kind: step.kind, parameters: step.parameters, household };
}
