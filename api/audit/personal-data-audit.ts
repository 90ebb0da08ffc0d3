import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { DataDir } from '../../cohort/cohort-paths';
import { numberText } from '../../domain/number-text';
import type { Logger } from '../../lib/logger';

const who = {
  at: z.iso.datetime().meta({ description: 'when, UTC' }),
  principal: z.string().meta({ description: 'who: the principal id' }),
  role: z.string().meta({ description: "the principal's role at the time" }),
};

/** One time someone was given personal data in full: who, when, what, and for an export why. */
export const PersonalDataAccessSchema = z
  .discriminatedUnion('action', [
    z.object({
      ...who,
      action: z.literal('report-exported'),
      rolloutId: z.string(),
      reason: z.string().meta({ description: 'why, as the person gave it' }),
    }),
    z.object({
      ...who,
      action: z.literal('payloads-decoded'),
      namespace: z.string(),
      workflowId: z.string().optional(),
      payloads: z.number().int().meta({ description: 'how many payloads were decrypted' }),
    }),
  ])
  .meta({ id: 'PersonalDataAccess' });
export type PersonalDataAccess = z.infer<typeof PersonalDataAccessSchema>;

/** The audit of personal data given out in full: one sealed record a line, appended, never rewritten. */
export const personalDataAuditPath = (dataDir: DataDir) => path.join(dataDir.root, 'audit', 'personal-data.ndjson');

/**
 * Records an access durably, then logs it. Await it before the data goes out: an access that
 * cannot be recorded does not happen. The log line leaves the reason out (a person typed it and
 * may have written a name in it); the sealed record keeps it. One append (O_APPEND, one write)
 * per record, so concurrent accesses each land whole.
 */
export async function recordPersonalDataAccess(deps: { dataDir: DataDir; logger: Logger }, access: PersonalDataAccess): Promise<void> {
  const file = personalDataAuditPath(deps.dataDir);
  await mkdir(path.dirname(file), { recursive: true });
  await appendFile(file, `${deps.dataDir.cipher.seal(JSON.stringify(PersonalDataAccessSchema.parse(access)))}\n`);
  const logged = Object.fromEntries(Object.entries(access).filter(([key]) => key !== 'reason'));
  deps.logger.info({ ...logged, audit: access.action }, 'personal data access recorded');
}

export const AuditPageQuerySchema = z.object({
  pageSize: numberText(z.coerce.number().int().min(1).max(500)).default(50),
  offset: numberText(z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER)).default(0),
});

/** A page of the audit, newest first; a line that cannot be read (cut short by a crash) is counted, not shown. */
export async function readPersonalDataAccesses(dataDir: DataDir, page: z.infer<typeof AuditPageQuerySchema>) {
  const text = await readFile(personalDataAuditPath(dataDir), 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw err;
  });
  const accesses: PersonalDataAccess[] = [];
  let unreadable = 0;
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      accesses.push(PersonalDataAccessSchema.parse(JSON.parse(dataDir.cipher.open(line))));
    } catch {
      unreadable += 1;
    }
  }
  accesses.reverse();
  const end = page.offset + page.pageSize;
  return { total: accesses.length, unreadable, items: accesses.slice(page.offset, end), ...(end < accesses.length && { nextOffset: end }) };
}
