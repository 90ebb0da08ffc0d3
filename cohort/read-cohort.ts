import { pipeline, Readable, type Duplex } from 'node:stream';
import { parse } from 'csv-parse';
import streamArray, { type StreamArrayItem } from 'stream-json/streamers/stream-array.js';
import { z } from 'zod';
import { FamilyCardNumberSchema, HouseholdSchema } from '../domain/household';
import { columnOf, requiredCohortColumns, RowProblemCodeSchema, RowProblemFieldSchema, RowProblemSchema, rowIdentity, validateCohortRow, type CohortColumn, type RowProblem } from './cohort-row';

/** A file that cannot be read as a cohort at all: empty, missing columns, broken CSV or JSON. */
export class CohortFormatError extends Error {
  constructor(
    message: string,
    /** What the problem is about: a canonical column name, or "file". */
    readonly field: CohortColumn | 'file',
  ) {
    super(message);
    this.name = 'CohortFormatError';
  }
}

export const ValidCohortRecordSchema = z.object({ row: z.number().int().positive(), household: HouseholdSchema });
export const InvalidCohortRecordSchema = z.object({
  row: z.number().int().positive(),
  /** Present when the row's KK was readable, so a coordinator can find the household. */
  familyCardNumber: FamilyCardNumberSchema.optional(),
  problems: z.array(RowProblemSchema).min(1),
});
export const CohortRecordSchema = z.union([ValidCohortRecordSchema, InvalidCohortRecordSchema]);
export type CohortRecord = z.infer<typeof CohortRecordSchema>;
export type InvalidCohortRecord = z.infer<typeof InvalidCohortRecordSchema>;

export type CohortSource = AsyncIterable<Buffer | string> | NodeJS.ReadableStream;

/**
 * Reads a cohort file as a stream of checked rows, never holding the file; only a map of KK and
 * one of head NIK (to row numbers) grow with it, for the duplicate checks.
 *
 * Row numbers count data rows from 1. In CSV that is the n-th non-blank record after the header,
 * not the line number: blank lines, rows of empty cells and line breaks inside quoted cells do not
 * count. In JSON it is the array index + 1.
 *
 * A later row with the KK of an earlier valid row is a duplicate-household; one whose head NIK
 * is that of an earlier valid row of another KK is a duplicate-nik. Both are checked on invalid
 * rows too, where the KK or NIK is readable, so a row lists everything to fix.
 */
export async function* readCohort(input: CohortSource, format: 'csv' | 'json'): AsyncGenerator<CohortRecord> {
  const firstRowOfKk = new Map<string, number>();
  const firstRowOfNik = new Map<string, number>();
  let row = 0;
  let objects = 0;
  for await (const raw of format === 'csv' ? csvRows(input) : jsonRows(input)) {
    row += 1;
    if (raw) objects += 1;
    const checked = raw ? validateCohortRow(raw) : { problems: [{ field: 'row', code: 'malformed', message: 'must be an object of columns' } satisfies RowProblem] };
    const identity = 'household' in checked ? checked.household : raw ? rowIdentity(raw) : {};
    const flawed = new Set('problems' in checked ? checked.problems.map((p) => p.field) : []);
    const kk = flawed.has('family_card_number') ? undefined : identity.familyCardNumber;
    const nik = flawed.has('head_nik') ? undefined : identity.headNik;
    const kkRow = kk === undefined ? undefined : firstRowOfKk.get(kk);
    const nikRow = nik === undefined ? undefined : firstRowOfNik.get(nik);
    const duplicates: RowProblem[] = [];
    if (kkRow !== undefined) duplicates.push({ field: 'family_card_number', code: 'duplicate-household', message: `is the same family-card number as row ${kkRow}` });
    // The NIK's first row being this KK's first row means the same household, already reported.
    if (nikRow !== undefined && nikRow !== kkRow) duplicates.push({ field: 'head_nik', code: 'duplicate-nik', message: `is the same head NIK as row ${nikRow}, another household` });

    if ('household' in checked && duplicates.length === 0) {
      firstRowOfKk.set(checked.household.familyCardNumber, row);
      firstRowOfNik.set(checked.household.headNik, row);
      yield { row, household: checked.household };
      continue;
    }
    const problems = [...('problems' in checked ? checked.problems : []), ...duplicates].sort((a, b) => fieldOrder.indexOf(a.field) - fieldOrder.indexOf(b.field));
    yield { row, ...(identity.familyCardNumber !== undefined && { familyCardNumber: identity.familyCardNumber }), problems };
  }
  // A few stray elements are row problems; an array of no objects at all is no cohort.
  if (row > 0 && objects === 0) throw new CohortFormatError('the body is not a JSON array of households: no element is an object of columns', 'file');
}

const fieldOrder = RowProblemFieldSchema.options;

/** Records keyed by canonical column; the delimiter is the one the header line uses. */
async function* csvRows(input: CohortSource): AsyncGenerator<Record<string, string>> {
  const { delimiter, chunks } = await sniffDelimiter(input);
  let headerSeen = false;
  const parser = parse({
    bom: true,
    delimiter,
    columns: (header: string[]) => {
      headerSeen = true;
      return headerColumns(header);
    },
    relax_column_count: true,
    // A quote inside an unquoted cell (Siti "Ani" Aminah) is text, as spreadsheets mean it.
    relax_quotes: true,
    skip_empty_lines: true,
    // Spreadsheets export deleted rows as ;;;;; : blank too.
    skip_records_with_empty_values: true,
    trim: true,
    // One household is far below this; an unclosed quote would otherwise swallow the file.
    max_record_size: 64 * 1024,
  });
  yield* parsedBy(chunks, parser, (err) => {
    if (err instanceof CohortFormatError) return err;
    // csv-parse's own messages may quote a cell, which may be personal data: code and line only.
    if ('code' in err && typeof err.code === 'string' && err.code.startsWith('CSV_')) {
      const line = 'lines' in err && typeof err.lines === 'number' ? ` near line ${err.lines}` : '';
      return new CohortFormatError(`the file is not readable as CSV (${err.code}${line})`, 'file');
    }
    return err;
  }) as AsyncGenerator<Record<string, string>>;
  if (!headerSeen) throw new CohortFormatError('the file is empty: a header row naming the columns is required', 'file');
}

/** Maps header cells to canonical columns (unknown ones are skipped) and refuses a header lacking any. */
function headerColumns(header: string[]): (CohortColumn | false)[] {
  const mapped = header.map((name) => columnOf(name) ?? false);
  const twice = mapped.find((column, i) => column && mapped.indexOf(column) !== i);
  if (twice) throw new CohortFormatError(`the header names the column ${twice} more than once`, twice);
  const missing = requiredCohortColumns.filter((column) => !mapped.includes(column));
  if (missing.length > 0) throw new CohortFormatError(`the header lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, missing[0]!);
  return mapped;
}

const sniffLimit = 64 * 1024;

/**
 * Reads just enough to see the header line and picks the delimiter it uses most (outside quotes),
 * so a comma inside an unquoted name of a semicolon file stays text. The chunks read are replayed.
 */
async function sniffDelimiter(input: CohortSource): Promise<{ delimiter: ',' | ';'; chunks: AsyncIterable<Buffer | string> }> {
  const iterator = (input as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const buffered: (Buffer | string)[] = [];
  let head = '';
  let header: string | undefined;
  while (header === undefined && head.length < sniffLimit) {
    const next = await iterator.next();
    if (next.done) {
      header = head;
      break;
    }
    buffered.push(next.value);
    head += next.value.toString();
    header = head.split(/\r?\n|\r/).find((line, i, lines) => i < lines.length - 1 && line.replace(/^\uFEFF/, '').trim() !== '');
  }
  const unquoted = (header ?? head).replace(/"[^"]*"?/g, '');
  const delimiter = (unquoted.match(/;/g)?.length ?? 0) > (unquoted.match(/,/g)?.length ?? 0) ? ';' : ',';
  async function* replay() {
    try {
      yield* buffered;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    } finally {
      await iterator.return?.();
    }
  }
  return { delimiter, chunks: replay() };
}

/** Elements of a top-level JSON array; undefined for an element that is not an object. */
async function* jsonRows(input: CohortSource): AsyncGenerator<Record<string, unknown> | undefined> {
  const items = parsedBy(input, streamArray.withParserAsStream(), (err) => new CohortFormatError(`the body is not a JSON array of households: ${err.message}`, 'file'));
  for await (const item of items as AsyncIterable<StreamArrayItem>) {
    const value = item.value;
    yield typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  }
}

/**
 * What the parser makes of the input, pulled one item at a time (so the input is read only as fast
 * as rows are consumed). The parser's errors are translated; the input's own (a failed or
 * oversized upload) are passed on as they are.
 */
async function* parsedBy(input: CohortSource, parser: Duplex, translate: (err: Error) => Error): AsyncGenerator<unknown> {
  let inputFailure: { error: unknown } | undefined;
  const chunks = (input as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  // Only what next() throws is the input's: a destroyed Readable.from throws the parser's error in too.
  const source = Readable.from(
    (async function* () {
      try {
        for (;;) {
          let next: IteratorResult<Buffer | string>;
          try {
            next = await chunks.next();
          } catch (error) {
            inputFailure = { error };
            throw error;
          }
          if (next.done) return;
          yield next.value;
        }
      } finally {
        await chunks.return?.();
      }
    })(),
  );
  // Errors reach the loop below through the parser, which pipeline destroys with them.
  pipeline(source, parser, () => {});
  const items = parser[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<unknown>;
      try {
        next = await items.next();
      } catch (err) {
        if (inputFailure) throw inputFailure.error;
        throw err instanceof Error ? translate(err) : err;
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await items.return?.();
  }
}

/** A cohort import's outcome: counts, and the first invalid rows in full. */
export const CohortReportSchema = z.object({
  rows: z.number().int().nonnegative(),
  valid: z.number().int().nonnegative(),
  invalid: z.number().int().nonnegative(),
  /** Rows with each problem code (a row may count under several codes, once under each). */
  problems: z.partialRecord(RowProblemCodeSchema, z.number().int().positive()),
  invalidRows: z.array(InvalidCohortRecordSchema),
  /** True when there were more invalid rows than listed. */
  invalidRowsTruncated: z.boolean(),
});
export type CohortReport = z.infer<typeof CohortReportSchema>;

/** Summarises records as they stream past, in memory bounded by the listed rows. */
export class CohortReportBuilder {
  private readonly summary: CohortReport = { rows: 0, valid: 0, invalid: 0, problems: {}, invalidRows: [], invalidRowsTruncated: false };

  constructor(private readonly listedInvalidRows = 1_000) {}

  add(record: CohortRecord): void {
    const s = this.summary;
    s.rows += 1;
    if ('household' in record) {
      s.valid += 1;
      return;
    }
    s.invalid += 1;
    for (const code of new Set(record.problems.map((p) => p.code))) s.problems[code] = (s.problems[code] ?? 0) + 1;
    if (s.invalidRows.length < this.listedInvalidRows) s.invalidRows.push(record);
    else s.invalidRowsTruncated = true;
  }

  report(): CohortReport {
    return structuredClone(this.summary);
  }
}
