import type { PoolClient } from 'pg';
import type { Exclusion } from '../domain/screening';
import type { HouseholdKeyOf } from '../lib/household-pseudonym';
import type { RecordsDb } from './records-db';
import { inTransaction } from './transaction';
import { jsonParam } from './json-param';

/** An exclusion's row: the household by pseudonym, the reason code in clear, the rest (its KK, the detail) sealed. */
export function exclusionRow(db: RecordsDb, householdKeyOf: HouseholdKeyOf, exclusion: Exclusion) {
  return {
    household_key: householdKeyOf(exclusion.householdId),
    flagged_only: exclusion.flaggedOnly ?? false,
    reason: exclusion.reason,
    sealed: db.cipher.seal(JSON.stringify(exclusion)),
  };
}

/** Adds exclusions decided by the batch at `fromOffset`; one already there for the household is replaced, or kept. */
export async function insertExclusions(client: PoolClient, rolloutId: string, fromOffset: number, rows: ReturnType<typeof exclusionRow>[], existing: 'replace' | 'keep' = 'replace'): Promise<void> {
  if (!rows.length) return;
  await client.query(
    `INSERT INTO exclusions (rollout_id, household_key, from_offset, flagged_only, reason, sealed)
     SELECT $1, household_key, $2, flagged_only, reason, sealed
       FROM jsonb_to_recordset($3::jsonb) AS e(household_key text, flagged_only boolean, reason text, sealed text)
     ON CONFLICT (rollout_id, household_key) ${
       existing === 'keep'
         ? 'DO NOTHING'
         : 'DO UPDATE SET from_offset = EXCLUDED.from_offset, flagged_only = EXCLUDED.flagged_only, reason = EXCLUDED.reason, sealed = EXCLUDED.sealed'
     }`,
    [rolloutId, fromOffset, jsonParam(rows)],
  );
}

/**
 * Records who one batch of a rollout (the one starting at `fromOffset`) left out or flagged:
 * its rows replaced whole in one transaction, so a retried batch never adds them twice nor keeps
 * one its retry no longer finds.
 */
export async function writeBatchExclusions(db: RecordsDb, householdKeyOf: HouseholdKeyOf, rolloutId: string, fromOffset: number, exclusions: readonly Exclusion[]): Promise<void> {
  const rows = exclusions.map((e) => exclusionRow(db, householdKeyOf, e));
  await inTransaction(db, async (client) => {
    await client.query('DELETE FROM exclusions WHERE rollout_id = $1 AND from_offset = $2', [rolloutId, fromOffset]);
    await insertExclusions(client, rolloutId, fromOffset, rows);
  });
}
