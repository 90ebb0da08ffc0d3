import pg from 'pg';
import { DecryptionError } from '../lib/key-ring';
import { keyIdOf, type RecordCipher } from '../lib/record-cipher';
import type { RecordsDb } from './records-db';
import { sealedColumnName, sealedColumns, type SealedColumn } from './sealed-columns';
import { inTransaction } from './transaction';
import { jsonParam } from './json-param';

export interface ColumnResealCounts {
  rows: number;
  /** Values that were plain or sealed under an older key, now sealed under the current one. */
  resealed: number;
  alreadyCurrent: number;
  /** Values that would not open (a key the ring lacks, an altered record): kept as they are. */
  unreadable: number;
}

/**
 * Seals again, under the current key, every value of the records store's sealed columns that is
 * plain (written before sealing) or under an older key, so the old key can leave the ring once
 * no Temporal history needs it either. Each table is walked in key order, a batch of rows per
 * transaction with the rows locked (a worker writing one of them waits, or is waited for), and a
 * row already under the current key is not written: a second run changes nothing. Safe while the
 * API and the workers run. Counts and problems name a column, a row's key and a key id: no
 * value's content leaves here.
 */
export async function resealColumns(db: RecordsDb, columns: readonly SealedColumn[] = sealedColumns, batchSize = 1_000) {
  const counts: Record<string, ColumnResealCounts> = {};
  const problems: string[] = [];
  for (const column of columns) counts[sealedColumnName(column)] = await resealColumn(db, column, batchSize, problems);
  return { counts, problems };
}

async function resealColumn(db: RecordsDb, sealed: SealedColumn, batchSize: number, problems: string[]): Promise<ColumnResealCounts> {
  const counts: ColumnResealCounts = { rows: 0, resealed: 0, alreadyCurrent: 0, unreadable: 0 };
  const table = pg.escapeIdentifier(sealed.table);
  const column = pg.escapeIdentifier(sealed.column);
  const keys = sealed.key.map((k) => `t.${pg.escapeIdentifier(k)}`);
  // Keys travel as text (a timestamp keeps its microseconds); PostgreSQL reads them back as the columns' types.
  // (Ordered and compared by the table's columns, never by these text aliases.)
  const keysAsText = sealed.key.map((k, i) => `${keys[i]}::text AS ${pg.escapeIdentifier(k)}`).join(', ');
  let after: string[] | undefined;
  for (;;) {
    const read = await inTransaction(db, async (client) => {
      const params: unknown[] = after ? [...after] : [];
      const from = after ? `WHERE (${keys.join(', ')}) > (${keys.map((_, i) => `$${i + 1}`).join(', ')})` : '';
      params.push(batchSize);
      const { rows } = await client.query<Record<string, string | null>>(
        `SELECT ${keysAsText}, t.${column} AS value FROM ${table} AS t ${from} ORDER BY ${keys.join(', ')} LIMIT $${params.length} FOR UPDATE`,
        params,
      );
      const changed: Record<string, string>[] = [];
      for (const row of rows) {
        counts.rows += 1;
        const value = row.value;
        if (value === undefined || value === null) continue;
        if (keyIdOf(value) === db.cipher.currentKeyId) {
          counts.alreadyCurrent += 1;
          continue;
        }
        const again = resealed(db.cipher, value);
        if (again instanceof DecryptionError) {
          counts.unreadable += 1;
          problems.push(`${sealedColumnName(sealed)}: row ${sealed.key.map((k) => row[k]).join(', ')}: ${again.message}`);
          continue;
        }
        changed.push({ ...Object.fromEntries(sealed.key.map((k) => [k, row[k]!])), [sealed.column]: again });
      }
      if (changed.length) {
        await client.query(
          `UPDATE ${table} AS t SET ${column} = v.${column} FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb) AS v
            WHERE ${sealed.key.map((k) => `t.${pg.escapeIdentifier(k)} = v.${pg.escapeIdentifier(k)}`).join(' AND ')}`,
          [jsonParam(changed)],
        );
        counts.resealed += changed.length;
      }
      return { count: rows.length, last: rows.at(-1) };
    });
    if (!read.last || read.count < batchSize) return counts;
    after = sealed.key.map((k) => read.last![k]!);
  }
}

/** The record's text sealed under the current key, or why it would not open (the error names a key id, never content). */
export function resealed(cipher: RecordCipher, record: string): string | DecryptionError {
  try {
    return cipher.seal(cipher.open(record));
  } catch (err) {
    if (err instanceof DecryptionError) return err;
    throw err;
  }
}
