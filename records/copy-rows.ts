import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** A value in COPY's text format: the characters it treats specially escaped. */
const copyText = (value: string | number) => String(value).replace(/[\\\n\r\t]/g, (c) => ({ '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!);

// Rows are sent in chunks of about this size rather than one message each.
const chunkBytes = 64 * 1024;

/**
 * Streams rows into `COPY <target> FROM STDIN` (text format) on the client, as they come: a
 * source of 100,000 rows is never held whole, and a slow server holds the source back. Answers
 * how many rows were copied. A source that throws fails the COPY (and with it the transaction).
 */
export async function copyRows(client: PoolClient, target: string, rows: AsyncIterable<readonly (string | number)[]>): Promise<number> {
  async function* chunks() {
    let chunk = '';
    for await (const row of rows) {
      chunk += `${row.map(copyText).join('\t')}\n`;
      if (chunk.length >= chunkBytes) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  const copy = client.query(copyFrom(`COPY ${target} FROM STDIN`));
  await pipeline(Readable.from(chunks()), copy);
  return copy.rowCount;
}
