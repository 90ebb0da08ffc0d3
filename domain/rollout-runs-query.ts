import { RolloutIdSchema } from './ids';
import * as sa from './search-attributes';

/** The visibility query for a rollout's runs (all, or only those still running). */
export function rolloutRunsQuery(rolloutId: string, which: 'all' | 'running' = 'all'): string {
  // Checked against the strict rollout id pattern, so quoting it is safe.
  const id = RolloutIdSchema.parse(rolloutId);
  const base = `WorkflowType = 'householdRun' AND ${sa.RolloutId.name} = '${id}'`;
  return which === 'running' ? `${base} AND ExecutionStatus = 'Running'` : base;
}
