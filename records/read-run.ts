import type { RunState } from '../domain/run-state';
import type { RecordsDb } from './records-db';

/**
 * A run's state as last recorded (each moment of the run and each message it accepted writes it),
 * opened with the key ring; undefined when the store has no record of it yet.
 */
export async function readRunRecord(db: RecordsDb, runId: string): Promise<RunState | undefined> {
  const { rows } = await db.pool.query<{ sealed: string }>('SELECT sealed FROM runs WHERE run_id = $1', [runId]);
  return rows[0] && (JSON.parse(db.cipher.open(rows[0].sealed)) as RunState);
}
