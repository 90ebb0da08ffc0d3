import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import streamArray from 'stream-json/streamers/stream-array.js';
import type { Household } from '../domain/household';
import { columnOf, requiredColumns, validateCohortRow, type CohortColumn, type RowProblem } from './cohort-row';

/** A file that cannot be read as a cohort at all (no header, missing columns, broken JSON). */
export class CohortFormatError extends Error {
  constructor(
    message: string,
    /** What the problem is about: a column name, or "file". */
    readonly field: string,
  ) {
    super(message);
    this.name = 'CohortFormatError';
  }
}

/** One row of the file: the household it gave, or its problems. Row numbers count data rows from 1. */
export type CohortRecord = { row: number; household: Household } | { row: number; familyCardNumber?: string; problems: RowProblem[] };

type Source = AsyncIterable<Buffer | string> | NodeJS.ReadableStream;

/**
 * Reads a cohort file as a stream of checked rows, never holding the file: CSV (comma or
 * semicolon, as found in the header line; UTF-8 with or without BOM; quoted fields; CRLF) or a
 * JSON array of objects. Duplicates are found with one map of KK and one of NIK.
 */
export async function* readCohort(input: Source, format: 'csv' | 'json'): AsyncGenerator<CohortRecord> {
  const firstRowOfKk = new Map<string, number>();
  const kkOfNik = new Map<string, string>();
  let row = 0;
  for await (const raw of format === 'csv' ? csvRows(input) : jsonRows(input)) {
    row += 1;
    const checked = raw ? validateCohortRow(raw) : { problems: [{ field: 'row', code: 'malformed', message: 'must be an object of columns' } satisfies RowProblem] };
    if ('problems' in checked) {
      const kk = typeof raw?.family_card_number === 'string' && /^\d{16}$/.test(raw.family_card_number.trim()) ? raw.family_card_number.trim() : undefined;
      yield { row, ...(kk && { familyCardNumber: kk }), problems: checked.problems };
      continue;
    }
    const { household } = checked;
    const earlier = firstRowOfKk.get(household.familyCardNumber);
    const nikOwner = kkOfNik.get(household.headNik);
    const problems: RowProblem[] = [];
    if (earlier !== undefined) problems.push({ field: 'family_card_number', code: 'duplicate-household', message: `the same household as row ${earlier}` });
    if (nikOwner !== undefined && nikOwner !== household.familyCardNumber) {
      problems.push({ field: 'head_nik', code: 'duplicate-nik', message: `the same head NIK as row ${firstRowOfKk.get(nikOwner)} (another household)` });
    }
    if (problems.length > 0) {
      yield { row, familyCardNumber: household.familyCardNumber, problems };
      continue;
    }
    firstRowOfKk.set(household.familyCardNumber, row);
    kkOfNik.set(household.headNik, household.familyCardNumber);
    yield { row, household };
  }
}

type RawRow = Partial<Record<CohortColumn, unknown>>;

/** Rows keyed by canonical column; the delimiter is the one the header line uses. */
async function* csvRows(input: Source): AsyncGenerator<RawRow> {
  const chunks = toIterator(input);
  // Read up to the end of the header line to see which delimiter the spreadsheet used.
  let head = '';
  const buffered: (Buffer | string)[] = [];
  while (!/[\r\n]/.test(head)) {
    const next = await chunks.next();
    if (next.done) break;
    buffered.push(next.value);
    head += next.value.toString();
  }
  const headerLine = head.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';
  if (!headerLine.trim()) throw new CohortFormatError('the file is empty: a header row naming the columns is required', 'file');
  const delimiter = (headerLine.match(/;/g)?.length ?? 0) > (headerLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const parser = Readable.from(
    (async function* () {
      yield* buffered;
      for (let n = await chunks.next(); !n.done; n = await chunks.next()) yield n.value;
    })(),
  ).pipe(
    parse({
      bom: true,
      delimiter,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      columns: (header: string[]) => {
        const mapped = header.map((h) => columnOf(h) ?? false);
        const missing = requiredColumns.filter((c) => !mapped.includes(c));
        if (missing.length > 0) throw new CohortFormatError(`the header lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, missing[0]!);
        return mapped;
      },
    }),
  );
  try {
    for await (const record of parser) yield record as RawRow;
  } catch (err) {
    // csv-parse wraps what the columns callback threw.
    const cause = err instanceof CohortFormatError ? err : (err as { cause?: unknown }).cause;
    if (cause instanceof CohortFormatError) throw cause;
    if (err instanceof Error && 'code' in err && String(err.code).startsWith('CSV_')) throw new CohortFormatError(`not readable as CSV: ${err.message}`, 'file');
    throw err;
  }
}

/** Elements of a top-level JSON array, keys mapped to canonical columns; undefined for a non-object. */
async function* jsonRows(input: Source): AsyncGenerator<RawRow | undefined> {
  const items = Readable.from(toIterable(input)).pipe(streamArray.withParserAsStream());
  try {
    for await (const item of items as AsyncIterable<{ value: unknown }>) {
      const value = item.value;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        yield undefined;
        continue;
      }
      const row: RawRow = {};
      for (const [key, v] of Object.entries(value)) {
        const column = columnOf(key);
        if (column) row[column] = v;
      }
      yield row;
    }
  } catch (err) {
    throw new CohortFormatError(`not a JSON array of households: ${err instanceof Error ? err.message : String(err)}`, 'file');
  }
}

function toIterable(input: Source): AsyncIterable<Buffer | string> {
  return Symbol.asyncIterator in input ? (input as AsyncIterable<Buffer | string>) : Readable.from(input as NodeJS.ReadableStream);
}

function toIterator(input: Source): AsyncIterator<Buffer | string> {
  return toIterable(input)[Symbol.asyncIterator]();
}
