import type { RecordActivities } from '../../domain/activity-contracts';
import { writeRollout } from '../../records/write-rollout';
import { writeRun } from '../../records/write-run';
import type { RecordsDb } from '../../records/records-db';

/**
 * The records store's writes, run as local activities beside the workflows (a marker in the
 * history, no extra round trip to the server). Each write is keyed by its run and sequence number
 * and applied only if newer, so a retry or a replay never doubles or reorders a row.
 */
export function createRecordActivities(deps: { db: RecordsDb; householdKeyOf: (familyCardNumber: string) => string }): RecordActivities {
  return {
    async recordRun(input) {
      await writeRun(deps.db, { ...input, householdKey: deps.householdKeyOf(input.state.householdId) });
    },
    async recordRollout(input) {
      await writeRollout(deps.db, input);
    },
  };
}
