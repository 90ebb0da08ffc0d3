import type { Client } from '@temporalio/client';
import { rolloutPage } from './rollout-page';

/**
 * The cohorts a running rollout may still read by byte offset: one starting runs, or paused (it
 * may be paused before all its runs started). `any` when a running rollout does not say its
 * status or cohort (started before those were recorded): then every cohort may be.
 */
export async function cohortsBeingStarted(client: Client, namespace: string): Promise<{ cohortIds: Set<string>; any: boolean }> {
  const query = `WorkflowType = 'rollout' AND ExecutionStatus = 'Running'`;
  const cohortIds = new Set<string>();
  let any = false;
  let token: string | undefined;
  do {
    const page = await rolloutPage(client, namespace, query, 1_000, token);
    for (const rollout of page.rollouts) {
      if (rollout.status && rollout.status !== 'starting' && rollout.status !== 'paused') continue;
      if (rollout.status && rollout.cohortId) cohortIds.add(rollout.cohortId);
      else any = true;
    }
    token = page.nextPageToken;
  } while (token);
  return { cohortIds, any };
}
