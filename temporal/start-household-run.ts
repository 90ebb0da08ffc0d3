import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { HouseholdId, ProgramId, Region, RolloutId, RunOutcome, StepKinds, Stuck, Welfare } from '../domain/search-attributes';
import { householdRun } from '../workflows/household-run';
import type { HouseholdRunInput } from '../workflows/household-run-input';

/**
 * Starts one household's run under its deterministic id. 'exists' when this rollout already
 * started it (even if it has ended since): the same household is never started twice in a rollout.
 */
export async function startHouseholdRun(client: Client, taskQueue: string, input: HouseholdRunInput): Promise<'started' | 'exists'> {
  const { plan, household } = input;
  try {
    await client.workflow.start(householdRun, {
      taskQueue,
      workflowId: input.runId,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
      typedSearchAttributes: [
        { key: RolloutId, value: input.rolloutId },
        { key: ProgramId, value: plan.programId },
        { key: HouseholdId, value: household.familyCardNumber },
        { key: Region, value: household.region },
        { key: RunOutcome, value: 'running' },
        { key: Stuck, value: false },
        { key: StepKinds, value: [...new Set(plan.steps.map((s) => s.kind))] },
        { key: Welfare, value: [`before:${household.welfareStatus}`] },
      ],
    });
    return 'started';
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return 'exists';
    throw err;
  }
}
