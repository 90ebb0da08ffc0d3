import { createHash, randomUUID } from 'node:crypto';
import { open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { DataDir } from '../../cohort/cohort-paths';
import type { Logger } from '../../lib/logger';
import { isSealed } from '../../lib/record-cipher';
import type { RecordsDb } from '../../records/records-db';
import { accessColumnNames, accessColumns, PersonalDataAccessSchema } from './personal-data-audit';

/** Where the personal-data audit was kept before the records store: one sealed record a line. */
export const legacyPersonalDataAuditPath = (dataDir: DataDir) => path.join(dataDir.root, 'audit', 'personal-data.ndjson');

const linesPerInsert = 500;

/**
 * Moves the old audit file into personal_data_accesses, once, at API start. The file is first
 * renamed aside under a name of this start's own, so that an API of the version before, still
 * appending to it during an upgrade, starts a new one (moved at the next start) rather than
 * writing lines after those read. Each line is keyed by its SHA-256: an import cut short and run
 * again, or run by two replicas at once, adds each line once. A line that will not open is kept
 * as it was (sealed if it was plain) and counted as unreadable. A file is removed once every line
 * of it is in.
 */
export async function importLegacyAudit(deps: { dataDir: DataDir; records: RecordsDb; logger: Logger }) {
  const file = legacyPersonalDataAuditPath(deps.dataDir);
  const counts = { lines: 0, unreadable: 0 };
  await rename(file, `${file}.importing-${randomUUID()}`).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
  // This start's, and any an import cut short left behind (or another replica is reading now).
  for (const aside of await asideFiles(file)) await importFile(deps, aside, counts);
  if (counts.lines) deps.logger.info({ ...counts, file: path.relative(deps.dataDir.root, file) }, 'personal-data audit file moved into the records store');
  return counts;
}

async function asideFiles(file: string): Promise<string[]> {
  const names = await readdir(path.dirname(file)).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  return names.filter((name) => name.startsWith(`${path.basename(file)}.importing-`)).map((name) => path.join(path.dirname(file), name));
}

async function importFile(deps: { records: RecordsDb }, file: string, counts: { lines: number; unreadable: number }) {
  const handle = await open(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (!handle) return;
  try {
    let batch: string[] = [];
    for await (const line of handle.readLines({ encoding: 'utf8', autoClose: false })) {
      if (!line) continue;
      batch.push(line);
      if (batch.length === linesPerInsert) {
        await insertLines(deps.records, batch, counts);
        batch = [];
      }
    }
    await insertLines(deps.records, batch, counts);
  } finally {
    await handle.close();
  }
  await rm(file, { force: true });
}

async function insertLines(records: RecordsDb, lines: readonly string[], counts: { lines: number; unreadable: number }) {
  if (!lines.length) return;
  const columns = [...accessColumnNames, 'legacy_line_hash', 'unread_line'] as const;
  const values = lines.map((line) => {
    const hash = createHash('sha256').update(line).digest('hex');
    counts.lines += 1;
    try {
      return [...accessColumns(records.cipher, PersonalDataAccessSchema.parse(JSON.parse(records.cipher.open(line)))), hash, null];
    } catch {
      counts.unreadable += 1;
      return [...accessColumnNames.map(() => null), hash, isSealed(line) ? line : records.cipher.seal(line)];
    }
  });
  await records.pool.query(
    `INSERT INTO personal_data_accesses (${columns.join(', ')}) VALUES ${values.map((_, row) => `(${columns.map((_, col) => `$${row * columns.length + col + 1}`).join(', ')})`).join(', ')}
     ON CONFLICT (legacy_line_hash) DO NOTHING`,
    values.flat(),
  );
}
