import type { Household } from '../../domain/household';
import { cohortCsvHeader, cohortCsvLine } from '../../dev/synthetic-cohort';
import { makeHousehold } from './households';
import type { Stack } from '../../dev/stack';

/** A household whose head's NIK is its own and agrees with its region (as a cohort import checks). */
export function cohortHousehold(overrides: Partial<Household> = {}): Household {
  const base = makeHousehold(overrides);
  const region = base.region.replaceAll('.', '').slice(0, 6);
  // A woman born 5 July 1985 (day + 40), with makeHousehold's serial for this household.
  const nik = `${region}450785${base.headNik.slice(-4)}`;
  return { ...base, headNik: overrides.headNik ?? nik };
}

/** The cohort as a registry extract in CSV (comma-separated, quoted where needed). */
export function cohortCsv(households: readonly Household[]): string {
  return [`${cohortCsvHeader}\r\n`, ...households.map((h) => `${cohortCsvLine(h)}\r\n`)].join('');
}

/** Imports a cohort through the API and returns its id. */
export async function importCohort(stack: Stack, households: readonly Household[]): Promise<string> {
  const res = await stack.upload('/v1/cohorts', cohortCsv(households), 'text/csv');
  if (res.status !== 201) throw new Error(`import failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.cohortId as string;
}
