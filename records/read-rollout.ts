import type { RolloutInput, RolloutState } from '../domain/rollout';
import type { RecordsDb } from './records-db';

/** A rollout's input and state as last recorded; undefined when the store has no record of it. */
export async function readRolloutRecord(db: RecordsDb, rolloutId: string): Promise<{ input: RolloutInput; state: RolloutState } | undefined> {
  const { rows } = await db.pool.query<{ input: RolloutInput; state: RolloutState }>('SELECT input, state FROM rollouts WHERE rollout_id = $1', [rolloutId]);
  return rows[0];
}
