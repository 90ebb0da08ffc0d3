import { z } from 'zod';
import { HouseholdSchema, VillageCodeSchema, type Household } from '../domain/household';
import { nikProblem, nikRegion, regionDigitsOfVillage } from '../domain/nik';

/** The canonical columns of a cohort file, and the names registry extracts also use. */
export const cohortColumns = {
  family_card_number: ['no_kk', 'kk', 'familycardnumber'],
  head_nik: ['nik', 'nik_kepala', 'headnik'],
  head_name: ['nama', 'nama_kepala', 'headname'],
  region_code: ['kode_wilayah', 'kode_desa', 'region'],
  decile: ['desil'],
  welfare_status: ['status_kesejahteraan', 'welfarestatus'],
  phone: ['no_hp', 'telepon'],
  email: ['surel'],
} as const;
export type CohortColumn = keyof typeof cohortColumns;
export const requiredColumns: readonly CohortColumn[] = ['family_card_number', 'head_nik', 'head_name', 'region_code', 'decile', 'welfare_status'];

export const RowProblemCodeSchema = z.enum(['missing', 'malformed', 'impossible-nik', 'nik-region-mismatch', 'region-format', 'duplicate-household', 'duplicate-nik']);
export type RowProblemCode = z.infer<typeof RowProblemCodeSchema>;

/** One problem of one row; the message never quotes the value (it may be personal data). */
export const RowProblemSchema = z.object({ field: z.string(), code: RowProblemCodeSchema, message: z.string() });
export type RowProblem = z.infer<typeof RowProblemSchema>;

const byName = new Map<string, CohortColumn>(
  (Object.entries(cohortColumns) as [CohortColumn, readonly string[]][]).flatMap(([column, aliases]) => [column, ...aliases].map((n) => [n, column] as const)),
);

/** The canonical column a header or JSON key stands for (case, spaces and dashes ignored). */
export function columnOf(name: string): CohortColumn | undefined {
  return byName.get(name.trim().toLowerCase().replace(/[\s-]+/g, '_')) ?? byName.get(name.trim().toLowerCase().replace(/[\s_-]+/g, ''));
}

const householdField: Record<CohortColumn, keyof Household> = {
  family_card_number: 'familyCardNumber',
  head_nik: 'headNik',
  head_name: 'headName',
  region_code: 'region',
  decile: 'decile',
  welfare_status: 'welfareStatus',
  phone: 'phone',
  email: 'email',
};
const columnOfField = Object.fromEntries(Object.entries(householdField).map(([c, f]) => [f, c])) as Record<keyof Household, CohortColumn>;

const text = (v: unknown): string | undefined => {
  if (v === undefined || v === null) return undefined;
  const s = String(v).trim();
  return s === '' ? undefined : s;
};

/** 3509012001 → 35.09.01.2001: registry extracts often drop the dots. */
const dotted = (region: string) => (/^\d{10}$/.test(region) ? `${region.slice(0, 2)}.${region.slice(2, 4)}.${region.slice(4, 6)}.${region.slice(6)}` : region);

/**
 * Checks one row (keys already mapped to canonical columns) and reports every problem, one per
 * field; a valid row becomes a Household exactly as HouseholdSchema defines it.
 */
export function validateCohortRow(row: Partial<Record<CohortColumn, unknown>>): { household: Household } | { problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  for (const column of requiredColumns) {
    if (text(row[column]) === undefined) problems.push({ field: column, code: 'missing', message: `${column} is empty` });
  }
  const region = text(row.region_code) && dotted(text(row.region_code)!);
  if (region && !VillageCodeSchema.safeParse(region).success) {
    problems.push({ field: 'region_code', code: 'region-format', message: 'must be a village code like 35.09.01.2001' });
  }
  const nik = text(row.head_nik);
  const nikIssue = nik ? nikProblem(nik) : undefined;
  if (nikIssue) problems.push({ field: 'head_nik', code: nikIssue.code === 'malformed' ? 'malformed' : 'impossible-nik', message: nikIssue.message });
  else if (nik && region && VillageCodeSchema.safeParse(region).success && nikRegion(nik) !== regionDigitsOfVillage(region)) {
    problems.push({ field: 'head_nik', code: 'nik-region-mismatch', message: "the NIK's region part does not match region_code" });
  }
  const decileText = text(row.decile);
  const candidate = {
    familyCardNumber: text(row.family_card_number),
    headNik: nik,
    headName: text(row.head_name),
    region,
    decile: decileText !== undefined && /^\d+$/.test(decileText) ? Number(decileText) : decileText,
    welfareStatus: text(row.welfare_status)?.toLowerCase(),
    phone: text(row.phone),
    email: text(row.email),
  };
  const parsed = HouseholdSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const column = columnOfField[issue.path[0] as keyof Household];
      // One problem per field: missing or a more precise NIK/region problem was given above.
      if (!column || problems.some((p) => p.field === column)) continue;
      problems.push({ field: column, code: 'malformed', message: issue.message });
    }
  }
  return problems.length > 0 || !parsed.success ? { problems } : { household: parsed.data };
}
