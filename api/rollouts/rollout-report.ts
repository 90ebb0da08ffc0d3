import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { householdBatches } from '../../cohort/cohort-files';
import { cohortPaths, exclusionsPath, type DataDir } from '../../cohort/cohort-paths';
import type { Household } from '../../domain/household';
import { maskedNik } from '../../domain/nik';
import { ExclusionSchema, type Exclusion } from '../../domain/screening';
import { rolloutRunsQuery } from '../../domain/rollout-runs-query';
import { visibilityPages, type RunSummary } from '../../temporal/visibility/run-page';
import type { ApiDeps } from '../api-deps';
import type { RolloutInput } from '../../domain/rollout';

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
  includes?: (household: Household) => boolean;
}

/**
 * One line per household of the cohort, for the agencies' own books: its run's state as
 * visibility has it, or why it was not enrolled. Streamed; the runs are read page by page first.
 * Answers how many households it wrote.
 */
export async function writeRolloutReport(deps: ApiDeps, input: Pick<RolloutInput, 'rolloutId' | 'cohortId'>, out: Writable, options: ReportOptions = { personalData: false }): Promise<number> {
  const { rolloutId } = input;
  const runs = new Map<string, RunSummary>();
  for await (const page of visibilityPages(deps.client, deps.namespace, rolloutRunsQuery(rolloutId))) {
    for (const run of page) if (run.householdKey) runs.set(run.householdKey, run);
  }
  const exclusions = await readExclusions(deps.dataDir, rolloutId);

  const header = options.personalData ? [...columns.slice(0, 3), ...contactColumns, ...columns.slice(3)] : [...columns];
  const csv = stringify({ header: true, columns: header, bom: true });
  let rows = 0;
  csv.pipe(out);
  const file = cohortPaths(deps.dataDir, input.cohortId).households;
  for await (const batch of householdBatches(deps.dataDir.cipher, file, 1_000)) {
    for (const h of batch) {
      if (options.includes && !options.includes(h)) continue;
      // By pseudonym; a run started before pseudonyms by KK.
      const run = runs.get(deps.householdKeyOf(h.familyCardNumber)) ?? runs.get(h.familyCardNumber);
      const excluded = exclusions.get(h.familyCardNumber);
      const welfare = (prefix: string) => run?.welfare.find((w) => w.startsWith(prefix))?.slice(prefix.length) ?? '';
      const graduation = graduationColumns(run?.welfare ?? []);
      const status = run ? (run.outcome ?? run.temporalStatus.toLowerCase()) : excluded && !excluded.flaggedOnly ? 'excluded' : 'not-started';
      const ok = csv.write({
        family_card_number: h.familyCardNumber,
        head_nik: options.personalData ? h.headNik : maskedNik(h.headNik),
        head_name: h.headName,
        ...(options.personalData && { phone: h.phone ?? '', email: h.email ?? '' }),
        region_code: h.region,
        status,
        current_step: run?.temporalStatus === 'RUNNING' ? (run.currentStep ?? '') : '',
        stuck: run?.stuck ? 'yes' : '',
        welfare_before: welfare('before:') || (run ? '' : h.welfareStatus),
        welfare_after: welfare('after:'),
        ...graduation,
        reason: excluded ? `${excluded.flaggedOnly ? 'flagged: ' : ''}${excluded.reason} (${excluded.detail})` : '',
        run_id: run?.runId ?? '',
      });
      rows += 1;
      if (!ok) await new Promise<void>((resolve) => csv.once('drain', () => resolve()));
    }
  }
  csv.end();
  await finished(out);
  return rows;
}

/**
 * A run's graduation from the facts its Welfare attribute holds: blank until a first decision
 * (or without graduation criteria); then the outcome (blank while extended and not yet decided
 * again), yes/no, the latest decision's score band and the criteria it found met.
 */
function graduationColumns(facts: readonly string[]) {
  const band = facts.find((f) => f.startsWith('score:'))?.slice('score:'.length);
  if (!band) return { graduation_outcome: '', graduation_extended: '', graduation_relapsed: '', readiness_score_band: '', criteria_met: '' };
  const yesNo = (fact: string) => (facts.includes(fact) ? 'yes' : 'no');
  return {
    graduation_outcome: facts.find((f) => f === 'graduation:graduated' || f === 'graduation:exited')?.slice('graduation:'.length) ?? '',
    graduation_extended: yesNo('graduation:extended'),
    graduation_relapsed: yesNo('relapsed'),
    readiness_score_band: band,
    criteria_met: facts
      .filter((f) => f.startsWith('met:'))
      .map((f) => f.slice('met:'.length))
      .join(';'),
  };
}

export async function readExclusions(dataDir: DataDir, rolloutId: string): Promise<Map<string, Exclusion>> {
  const dir = path.dirname(exclusionsPath(dataDir, rolloutId, 0));
  const files = await readdir(dir).catch(() => [] as string[]);
  const byHousehold = new Map<string, Exclusion>();
  for (const f of files.filter((n) => n.endsWith('.ndjson'))) {
    for (const line of (await readFile(path.join(dir, f), 'utf8')).split('\n')) {
      if (!line) continue;
      const e = ExclusionSchema.parse(JSON.parse(dataDir.cipher.open(line)));
      byHousehold.set(e.householdId, e);
    }
  }
  return byHousehold;
}
