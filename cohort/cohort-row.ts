import { z } from 'zod';
import { FamilyCardNumberSchema, HouseholdSchema, VillageCodeSchema, type Household } from '../domain/household';
import { isNikShaped, nikProblem, nikRegion, regionDigitsOfVillage } from '../domain/nik';
import { WelfareStatusSchema } from '../domain/welfare-status';

/** The canonical columns of a cohort file, in the order problems are listed. */
export const CohortColumnSchema = z.enum(['family_card_number', 'head_nik', 'head_name', 'region_code', 'decile', 'welfare_status', 'phone', 'email']);
export type CohortColumn = z.infer<typeof CohortColumnSchema>;
export const requiredCohortColumns: readonly CohortColumn[] = ['family_card_number', 'head_nik', 'head_name', 'region_code', 'decile', 'welfare_status'];

/** Each column's Household key and the names registry spreadsheets use for it. */
const columns: Record<CohortColumn, { field: keyof Household; aliases: readonly string[] }> = {
  family_card_number: { field: 'familyCardNumber', aliases: ['no_kk'] },
  head_nik: { field: 'headNik', aliases: ['nik'] },
  head_name: { field: 'headName', aliases: ['nama'] },
  region_code: { field: 'region', aliases: ['kode_wilayah'] },
  decile: { field: 'decile', aliases: ['desil'] },
  welfare_status: { field: 'welfareStatus', aliases: ['status_kesejahteraan'] },
  phone: { field: 'phone', aliases: ['no_hp', 'telepon'] },
  email: { field: 'email', aliases: [] },
};

export const RowProblemCodeSchema = z.enum(['missing', 'malformed', 'impossible-nik', 'nik-region-mismatch', 'region-format', 'duplicate-household', 'duplicate-nik']);
export type RowProblemCode = z.infer<typeof RowProblemCodeSchema>;

/** A column, or "row" when the row as a whole is unreadable (a JSON element that is no object). */
export const RowProblemFieldSchema = z.enum([...CohortColumnSchema.options, 'row']);
export type RowProblemField = z.infer<typeof RowProblemFieldSchema>;

/** One problem of one row; the message names the expected form, never the value (it may be personal data). */
export const RowProblemSchema = z.object({ field: RowProblemFieldSchema, code: RowProblemCodeSchema, message: z.string() });
export type RowProblem = z.infer<typeof RowProblemSchema>;

const byName = new Map<string, CohortColumn>(
  CohortColumnSchema.options.flatMap((column) => [column, columns[column].field.toLowerCase(), ...columns[column].aliases].map((name) => [name, column] as const)),
);

/**
 * The canonical column a CSV header or JSON key stands for: the column's own name, the registry's
 * Indonesian name or the Household key, matched ignoring case, surrounding spaces, and with inner
 * spaces or dashes read as underscores ("No KK" is no_kk).
 */
export function columnOf(name: string): CohortColumn | undefined {
  return byName.get(name.trim().toLowerCase().replace(/[\s-]+/g, '_'));
}

const notText = Symbol('not text');
type Cell = string | undefined | typeof notText;

/** Trimmed text; empty is missing. Integers beyond 2^53 have already lost digits (a KK as a JSON number). */
function cellOf(value: unknown): Cell {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) return notText;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint') return notText;
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

/** A row's cells by canonical column; where two keys name one column, the first non-empty one counts. */
function cellsOf(raw: Record<string, unknown>): Partial<Record<CohortColumn, Cell>> {
  const cells: Partial<Record<CohortColumn, Cell>> = {};
  for (const [key, value] of Object.entries(raw)) {
    const column = columnOf(key);
    if (column && cells[column] === undefined) cells[column] = cellOf(value);
  }
  return cells;
}

/** 3509012001 → 35.09.01.2001: registry extracts often drop the dots. */
const dotted = (region: string) => (/^\d{10}$/.test(region) ? `${region.slice(0, 2)}.${region.slice(2, 4)}.${region.slice(4, 6)}.${region.slice(6)}` : region);

/** Where zod's own wording would speak of types rather than of the file's cells. */
const malformedMessage: Partial<Record<CohortColumn, string>> = {
  head_name: 'must be a name of at most 200 characters',
  decile: 'must be a whole number from 1 to 10',
  welfare_status: `must be one of ${WelfareStatusSchema.options.join(', ')}`,
  email: 'must be an e-mail address',
};

const columnOfField = new Map(CohortColumnSchema.options.map((column) => [columns[column].field as PropertyKey, column]));

/**
 * Checks one row (keys: canonical columns, their Indonesian names or Household keys) and reports
 * every problem, at most one per column. Values are trimmed and empty means missing; decile may be
 * text ("3"); welfare status is read case-insensitively ("Extreme poor" too); a phone number may
 * have spaces, dashes, dots or brackets; a region of 10 digits without dots (3509012001) is read
 * as the village code 35.09.01.2001. A valid row becomes a Household as HouseholdSchema defines it.
 */
export function validateCohortRow(raw: Record<string, unknown>): { household: Household } | { problems: RowProblem[] } {
  const cells = cellsOf(raw);
  const problems = new Map<CohortColumn, RowProblem>();
  const report = (field: CohortColumn, code: RowProblemCode, message: string) => {
    if (!problems.has(field)) problems.set(field, { field, code, message });
  };
  const text = (column: CohortColumn): string | undefined => {
    const cell = cells[column];
    if (cell === notText) report(column, 'malformed', 'must be text or a number');
    else if (cell === undefined && requiredCohortColumns.includes(column)) report(column, 'missing', 'must not be empty');
    return cell === notText ? undefined : cell;
  };

  const familyCardNumber = text('family_card_number');
  const headNik = text('head_nik');
  const headName = text('head_name');
  const regionText = text('region_code');
  const decile = text('decile');
  const welfareStatus = text('welfare_status');
  const phone = text('phone');
  const email = text('email');

  const region = regionText === undefined ? undefined : dotted(regionText);
  const regionIssue = region === undefined ? undefined : VillageCodeSchema.safeParse(region).error?.issues[0];
  if (regionIssue) report('region_code', 'region-format', regionIssue.message);
  const nikIssue = headNik === undefined ? undefined : nikProblem(headNik);
  if (headNik !== undefined && nikIssue) report('head_nik', isNikShaped(headNik) ? 'impossible-nik' : 'malformed', nikIssue);
  else if (headNik !== undefined && region !== undefined && !regionIssue && nikRegion(headNik) !== regionDigitsOfVillage(region)) {
    report('head_nik', 'nik-region-mismatch', "must have a region part (digits 1-6) equal to region_code's province, regency and district");
  }

  const parsed = HouseholdSchema.safeParse({
    familyCardNumber,
    headNik,
    headName,
    region,
    decile: decile !== undefined && /^\d+$/.test(decile) ? Number(decile) : decile,
    welfareStatus: welfareStatus?.toLowerCase().replace(/[\s-]+/g, '_'),
    ...(phone !== undefined && { phone: phone.replace(/[\s().-]/g, '') }),
    ...(email !== undefined && { email }),
  });
  if (parsed.success && problems.size === 0) return { household: parsed.data };
  for (const issue of parsed.error?.issues ?? []) {
    const column = columnOfField.get(issue.path[0] ?? '');
    if (column) report(column, 'malformed', malformedMessage[column] ?? issue.message);
  }
  return { problems: CohortColumnSchema.options.flatMap((column) => problems.get(column) ?? []) };
}

/**
 * The row's KK and head NIK where each is well formed on its own, even if the row has other
 * problems: what the duplicate checks and the report need from an invalid row.
 */
export function rowIdentity(raw: Record<string, unknown>): { familyCardNumber?: string; headNik?: string } {
  const cells = cellsOf(raw);
  const kk = cells.family_card_number;
  const nik = cells.head_nik;
  return {
    ...(typeof kk === 'string' && FamilyCardNumberSchema.safeParse(kk).success && { familyCardNumber: kk }),
    ...(typeof nik === 'string' && !nikProblem(nik) && { headNik: nik }),
  };
}
