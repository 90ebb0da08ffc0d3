import type { PoolClient } from 'pg';
import type { RecordCipher } from '../lib/record-cipher';
import type { RecordsDb } from './records-db';
import { attemptRows, runColumns, type RunRecord } from './run-record';
import { jsonParam } from './json-param';

/**
 * Writes one moment of a run: the run's row, each attempt, operation and graduation assessment,
 * in one transaction, applied only if `seq` is newer than what the row holds. A retried activity,
 * a replay or a write overtaken by a later one changes nothing: idempotent and never reordered.
 * Answers whether it was applied.
 */
export async function writeRun(db: RecordsDb, input: RunRecord): Promise<boolean> {
  const run = { ...runColumns(input), sealed: db.cipher.seal(JSON.stringify(input.state)), seq: input.seq };
  const columns = Object.keys(run) as (keyof typeof run)[];
  const values = columns.map((c) => run[c]);
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    // The row lock this upsert takes serialises writers of one run: a stale one waits, then finds seq newer.
    const applied = await client.query(
      `INSERT INTO runs (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})
       ON CONFLICT (run_id) DO UPDATE SET ${columns.filter((c) => c !== 'run_id').map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, recorded_at = now()
       WHERE runs.seq < EXCLUDED.seq
       RETURNING run_id`,
      values,
    );
    if (applied.rowCount) await writeChildren(client, db.cipher, input);
    await client.query('COMMIT');
    return Boolean(applied.rowCount);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

async function writeChildren(client: PoolClient, cipher: RecordCipher, input: RunRecord): Promise<void> {
  const runId = input.state.runId;
  const attempts = attemptRows(input);
  if (attempts.length) {
    const cols = Object.keys(attempts[0]!) as (keyof (typeof attempts)[number])[];
    await client.query(
      `INSERT INTO step_attempts (run_id, seq, ${cols.join(', ')})
       SELECT $1, $2, * FROM jsonb_to_recordset($3::jsonb) AS a(step_key text, attempt int, kind text, agency text, task_id text, opened_at timestamptz,
         deadline timestamptz, closed_at timestamptz, outcome text, amount numeric, agency_reference text, closed_by text, superseded_by text)
       ON CONFLICT (run_id, step_key, attempt) DO UPDATE SET ${cols.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, seq = EXCLUDED.seq
       WHERE step_attempts.seq < EXCLUDED.seq`,
      [runId, input.seq, jsonParam(attempts)],
    );
  }
  const operations = (input.state.operations ?? []).map((o, n) => ({
    n,
    op: o.op,
    step_key: o.stepKey ?? null,
    actor: o.actor,
    at: o.at,
    detail: o.detail ?? null,
    reason: o.reason,
  }));
  if (operations.length) {
    // Append-only: an operation once recorded never changes. Only the new ones are sealed.
    const known = await client.query<{ n: number }>('SELECT n FROM operations WHERE run_id = $1', [runId]);
    const have = new Set(known.rows.map((r) => r.n));
    const added = operations.filter((o) => !have.has(o.n)).map((o) => ({ ...o, reason: cipher.seal(o.reason) }));
    if (added.length)
      await client.query(
        `INSERT INTO operations (run_id, n, op, step_key, actor, at, detail, reason)
         SELECT $1, n, op, step_key, actor, at, detail, reason FROM jsonb_to_recordset($2::jsonb)
           AS o(n int, op text, step_key text, actor text, at timestamptz, detail text, reason text)
         ON CONFLICT DO NOTHING`,
        [runId, jsonParam(added)],
      );
  }
  const assessments = (input.state.graduation?.assessments ?? []).map((a, n) => ({
    n,
    step_key: a.stepKey,
    at: a.at,
    score: a.score,
    proposed: a.proposed ?? null,
    decision: a.decision ?? null,
    decided_by: a.decidedBy ?? null,
    relapsed: a.relapsed ?? false,
  }));
  if (assessments.length)
    await client.query(
      `INSERT INTO graduation_decisions (run_id, seq, n, step_key, at, score, proposed, decision, decided_by, relapsed)
       SELECT $1, $2, * FROM jsonb_to_recordset($3::jsonb)
         AS d(n int, step_key text, at timestamptz, score numeric, proposed text, decision text, decided_by text, relapsed boolean)
       ON CONFLICT (run_id, n) DO UPDATE SET proposed = EXCLUDED.proposed, decision = EXCLUDED.decision, decided_by = EXCLUDED.decided_by,
         relapsed = EXCLUDED.relapsed, seq = EXCLUDED.seq
       WHERE graduation_decisions.seq < EXCLUDED.seq`,
      [runId, input.seq, jsonParam(assessments)],
    );
}
