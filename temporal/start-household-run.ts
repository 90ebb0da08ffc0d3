import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { calendarForRunStartingAt } from '../config/holiday-files';
import { enrolmentIdOf } from '../domain/ids';
import { enrolment, enrolUpdate, type EnrolAnswer } from '../workflows/enrolment';
import type { HouseholdRunInput } from '../workflows/household-run-input';

/** started; exists (this run id was started before, even if it has ended since); or held by another run of the program. */
export type RunStart = 'started' | 'exists' | { heldBy: string };

const attempts = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts one household's run under its deterministic id, through its program's enrolment lock
 * (workflows/enrolment.ts): the lock starts the run, so two rollouts of a program starting the
 * same household at once start one run, and the other is told which run holds it. Asking again
 * for the same run (a retried batch) answers 'exists' and starts nothing. The run is given the
 * holiday calendar of the years it may span (its deadlines count against it), unless the caller gave one.
 * The input names its household by pseudonym (householdKey), which the lock's id is derived from.
 */
export async function startHouseholdRun(
  client: Client,
  taskQueue: string,
  input: HouseholdRunInput & { householdKey: string },
  memo?: Record<string, unknown>,
): Promise<RunStart> {
  const run: HouseholdRunInput = { ...input, calendar: input.calendar ?? calendarForRunStartingAt(new Date()) };
  for (let attempt = 1; ; attempt++) {
    let answer: EnrolAnswer | undefined;
    try {
      answer = await client.workflow.executeUpdateWithStart(enrolUpdate, {
        args: [{ run, ...(memo && { memo }) }],
        startWorkflowOperation: new WithStartWorkflowOperation(enrolment, {
          workflowId: enrolmentIdOf(input.plan.programId, input.householdKey),
          taskQueue,
          args: [],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        }),
      });
    } catch (err) {
      if (attempt >= attempts || !lockClosedMeanwhile(err)) throw err;
    }
    if (answer?.outcome === 'held') return { heldBy: answer.heldBy };
    if (answer && answer.outcome !== 'released') return answer.outcome;
    // The holder has just ended and its lock is closing: the next lock will be free.
    if (attempt >= attempts) throw new Error(`the enrolment lock of ${input.runId} did not close`);
    await sleep(100 * attempt);
  }
}

function lockClosedMeanwhile(err: unknown): boolean {
  return err instanceof WorkflowNotFoundError || (err instanceof Error && /already completed|workflow.*(closed|completed)/i.test(err.message));
}
