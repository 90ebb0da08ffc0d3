import type { RolloutRecordInput } from '../domain/records';
import type { RecordsDb } from './records-db';
import { jsonParam } from './json-param';

/**
 * Writes where a rollout stands (its pinned plan and pace, counts, controls, status), applied only
 * if `seq` is newer than the row's. The API writes seq 0 as it starts the rollout, so the rollout
 * answers before any worker has picked it up; the workflow writes 1, 2, ... from there.
 */
export async function writeRollout(db: RecordsDb, { seq, input, state }: RolloutRecordInput): Promise<boolean> {
  const result = await db.pool.query(
    `INSERT INTO rollouts (rollout_id, program_id, program_version, cohort_id, households, started_by, started_at, status, finished_at, input, state, seq)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (rollout_id) DO UPDATE SET status = EXCLUDED.status, finished_at = EXCLUDED.finished_at, state = EXCLUDED.state,
       seq = EXCLUDED.seq, recorded_at = now()
     WHERE rollouts.seq < EXCLUDED.seq`,
    [
      input.rolloutId,
      input.plan.programId,
      input.plan.version,
      input.cohortId,
      input.households,
      input.startedBy,
      input.startedAt,
      state.status,
      state.finishedAt ?? null,
      jsonParam(input),
      jsonParam(state),
      seq,
    ],
  );
  return Boolean(result.rowCount);
}
