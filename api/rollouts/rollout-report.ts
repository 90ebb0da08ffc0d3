import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import QueryStream from 'pg-query-stream';
import { HouseholdSchema } from '../../domain/household';
import { maskedNik } from '../../domain/nik';
import type { RegionScope } from '../../domain/region-scope';
import type { RolloutInput } from '../../domain/rollout';
import { ExclusionSchema } from '../../domain/screening';
import { regionCondition } from '../../records/region-sql';
import type { ApiDeps } from '../api-deps';

const columns = [
  'family_card_number',
  'head_nik',
  'head_name',
  'region_code',
  'status',
  'current_step',
  'stuck',
  'welfare_before',
  'welfare_after',
  'graduation_outcome',
  'graduation_extended',
  'graduation_relapsed',
  'readiness_score_band',
  'criteria_met',
  'reason',
  'run_id',
] as const;
/** Only in a report with personal data in full, after the head's name. */
const contactColumns = ['phone', 'email'] as const;

/** What a report shows of each head: by default the NIK masked and no contact details. */
export interface ReportOptions {
  /** The full NIK, phone and e-mail: for a caller with the right to personal data, audited by the route. */
  personalData: boolean;
  /** Which households get a line (for a principal limited to regions: theirs); all when absent. */
  scope?: RegionScope;
}

/** A household of the cohort with its run in the rollout and its exclusion, each as the records store holds it. */
interface ReportRow {
  household: string;
  exclusion: string | null;
  run_id: string | null;
  status: string | null;
  current_step: string | null;
  stuck: boolean | null;
  welfare_before: string | null;
  welfare_after: string | null;
  graduation_outcome: string | null;
  graduation_extended: boolean | null;
  relapsed: boolean | null;
  score_band: string | null;
  criteria_met: string[] | null;
}

/**
 * One line per household of the cohort, in the cohort's order, for the agencies' own books: its
 * run's state as the records store has it, or why it was not enrolled. One query joins the
 * cohort's households to the rollout's runs and exclusions, streamed through a cursor, so 100,000
 * households are never held at once. Answers how many households it wrote.
 */
export async function writeRolloutReport(deps: ApiDeps, input: Pick<RolloutInput, 'rolloutId' | 'cohortId'>, out: Writable, options: ReportOptions = { personalData: false }): Promise<number> {
  const params: unknown[] = [input.cohortId, input.rolloutId];
  const inScope = regionCondition(options.scope ?? 'national', params, 'h.region');
  const query = new QueryStream(
    `SELECT h.sealed AS household, e.sealed AS exclusion, r.run_id, r.status, r.current_step, r.stuck, r.welfare_before, r.welfare_after,
            r.graduation_outcome, r.graduation_extended, r.relapsed, r.score_band, r.criteria_met
       FROM cohort_households h
       LEFT JOIN runs r ON r.rollout_id = $2 AND r.household_key = h.household_key
       LEFT JOIN exclusions e ON e.rollout_id = $2 AND e.household_key = h.household_key
      WHERE h.cohort_id = $1${inScope ? ` AND ${inScope}` : ''}
      ORDER BY h.start_offset`,
    params,
    { batchSize: 500 },
  );
  const header = options.personalData ? [...columns.slice(0, 3), ...contactColumns, ...columns.slice(3)] : [...columns];
  const csv = stringify({ header: true, columns: header, bom: true });
  csv.pipe(out);
  // A caller gone mid-report stops the query rather than leaving it waiting for a drain that never comes.
  const gone = new Promise<void>((resolve) => out.once('close', () => resolve()));
  let rows = 0;
  const client = await deps.records.pool.connect();
  let failed: Error | undefined;
  try {
    for await (const row of client.query(query) as AsyncIterable<ReportRow>) {
      if (!csv.write(reportLine(deps, row, options.personalData))) await Promise.race([new Promise<void>((resolve) => csv.once('drain', () => resolve())), gone]);
      rows += 1;
      if (out.destroyed) break;
    }
  } catch (err) {
    failed = err as Error;
    throw err;
  } finally {
    // A cursor cut off by an error may leave its connection mid-answer: not handed to the next caller.
    client.release(failed);
  }
  csv.end();
  await finished(out);
  return rows;
}

function reportLine({ records }: Pick<ApiDeps, 'records'>, row: ReportRow, personalData: boolean) {
  const h = HouseholdSchema.parse(JSON.parse(records.cipher.open(row.household)));
  const excluded = row.exclusion ? ExclusionSchema.parse(JSON.parse(records.cipher.open(row.exclusion))) : undefined;
  const run = row.run_id ? row : undefined;
  const running = run?.status === 'running';
  return {
    family_card_number: h.familyCardNumber,
    head_nik: personalData ? h.headNik : maskedNik(h.headNik),
    head_name: h.headName,
    ...(personalData && { phone: h.phone ?? '', email: h.email ?? '' }),
    region_code: h.region,
    status: run ? run.status : excluded && !excluded.flaggedOnly ? 'excluded' : 'not-started',
    current_step: running ? (run.current_step ?? '') : '',
    stuck: run?.stuck ? 'yes' : '',
    welfare_before: run ? (run.welfare_before ?? '') : h.welfareStatus,
    // As before the records store: the status after once the run has ended or a graduation was decided.
    welfare_after: run && (!running || run.score_band) ? (run.welfare_after ?? '') : '',
    ...graduationColumns(run),
    reason: excluded ? `${excluded.flaggedOnly ? 'flagged: ' : ''}${excluded.reason} (${excluded.detail})` : '',
    run_id: run?.run_id ?? '',
  };
}

/**
 * A run's graduation: blank until a first decision (or without graduation criteria); then the
 * outcome (blank while extended and not yet decided again), yes/no, the latest decision's score
 * band and the criteria it found met.
 */
function graduationColumns(run: ReportRow | undefined) {
  if (!run?.score_band) return { graduation_outcome: '', graduation_extended: '', graduation_relapsed: '', readiness_score_band: '', criteria_met: '' };
  const yesNo = (value: boolean | null) => (value ? 'yes' : 'no');
  return {
    graduation_outcome: run.graduation_outcome ?? '',
    graduation_extended: yesNo(run.graduation_extended),
    graduation_relapsed: yesNo(run.relapsed),
    readiness_score_band: run.score_band,
    criteria_met: (run.criteria_met ?? []).join(';'),
  };
}
