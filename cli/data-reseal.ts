import { resealDataDir } from '../cohort/reseal-records';
import { loadConfig, payloadKeyRing } from '../config/config';
import { RecordCipher } from '../lib/record-cipher';
import { connectRecords } from '../records/records-db';
import { cliRecordsUrl } from './records-url';
import { resealColumns } from '../records/reseal-columns';

/**
 * `sinergi data reseal`: with the API's and workers' configuration (key ring, DATABASE_URL, and
 * DATA_DIR for the personal-data audit file). Reseals, under the current key, every sealed column
 * of the records store (runs, operations' reasons, cohorts, their households, exclusions) and the
 * audit file's records. Prints counts per column and file kind, never a record; exits 1 if a
 * record would not open (e.g. its key is no longer in the ring).
 */
export async function resealData(print: (summary: string, body: unknown) => void): Promise<void> {
  const config = loadConfig();
  const cipher = new RecordCipher(payloadKeyRing(config));
  const db = await connectRecords(cliRecordsUrl(config), cipher, (message) => console.error(message));
  try {
    const columns = await resealColumns(db);
    const files = await resealDataDir({ root: config.dataDir, cipher });
    const unreadable = (n: number) => (n ? `, ${n} unreadable (kept as they were)` : '');
    const lines = [
      ...Object.entries(columns.counts).map(([name, c]) => `  ${name}: ${c.rows} rows, ${c.resealed} resealed, ${c.alreadyCurrent} already current${unreadable(c.unreadable)}`),
      ...Object.entries(files.counts).map(([kind, c]) => `  ${kind} (under ${config.dataDir}): ${c.files} files, ${c.resealed} records resealed, ${c.alreadyCurrent} already current${unreadable(c.unreadable)}`),
    ];
    print(`sealed records, current key "${cipher.currentKeyId}":\n${lines.join('\n')}`, { currentKeyId: cipher.currentKeyId, counts: { ...columns.counts, ...files.counts } });
    const problems = [...columns.problems, ...files.problems];
    if (problems.length) {
      // Each names a column and a row's key, or a file and a record's number, and a key id; never the record.
      console.error(`${problems.length} records would not open and were kept as they were:\n${problems.slice(0, 20).map((p) => `  ${p}`).join('\n')}`);
      process.exitCode = 1;
    }
  } finally {
    await db.pool.end();
  }
}
