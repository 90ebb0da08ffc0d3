import { z } from 'zod';
import { numberText } from '../../domain/number-text';
import type { Logger } from '../../lib/logger';
import type { RecordCipher } from '../../lib/record-cipher';
import type { RecordsDb } from '../../records/records-db';

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

export const accessColumnNames = ['at', 'principal', 'role', 'action', 'rollout_id', 'namespace', 'workflow_id', 'payloads', 'reason'] as const;
type AccessColumns = Record<(typeof accessColumnNames)[number], string | number | null>;

/** The columns of personal_data_accesses an access fills, in the order of accessColumnNames: in clear what names no one, the reason sealed. */
export function accessColumns(cipher: RecordCipher, access: PersonalDataAccess): AccessColumns[keyof AccessColumns][] {
  const report = access.action === 'report-exported';
  const columns: AccessColumns = {
    at: access.at,
    principal: access.principal,
    role: access.role,
    action: access.action,
    rollout_id: report ? access.rolloutId : null,
    namespace: report ? null : access.namespace,
    workflow_id: report ? null : (access.workflowId ?? null),
    payloads: report ? null : access.payloads,
    reason: report ? cipher.seal(access.reason) : null,
  };
  return accessColumnNames.map((name) => columns[name]);
}

/**
 * Records an access durably (a row of personal_data_accesses), then logs it. Await it before the
 * data goes out: an access that cannot be recorded does not happen. The log line leaves the reason
 * out (a person typed it and may have written a name in it); the row keeps it sealed.
 */
export async function recordPersonalDataAccess(deps: { records: RecordsDb; logger: Logger }, access: PersonalDataAccess): Promise<void> {
  await deps.records.pool.query(
    `INSERT INTO personal_data_accesses (${accessColumnNames.join(', ')}) VALUES (${accessColumnNames.map((_, i) => `$${i + 1}`).join(', ')})`,
    accessColumns(deps.records.cipher, PersonalDataAccessSchema.parse(access)),
  );
  const logged = Object.fromEntries(Object.entries(access).filter(([key]) => key !== 'reason'));
  deps.logger.info({ ...logged, audit: access.action }, 'personal data access recorded');
}

export const AuditPageQuerySchema = z.object({
  pageSize: numberText(z.coerce.number().int().min(1).max(500)).default(50),
  offset: numberText(z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER)).default(0),
});

// A row opens if nothing of it is sealed, or its reason is plain or sealed under a key of the ring
// ($1): rows under a key the ring lacks and lines of the old file that would not open are counted
// apart without opening anything, so the audit pages in SQL. Key ids hold no colon (config).
const readable = `unread_line IS NULL AND (reason IS NULL OR reason NOT LIKE 'aes1:%' OR split_part(reason, ':', 2) = ANY($1::text[]))`;

interface AccessRow {
  at: string;
  principal: string;
  role: string;
  action: string;
  rollout_id: string | null;
  namespace: string | null;
  workflow_id: string | null;
  payloads: number | null;
  reason: string | null;
}

/**
 * A page of the audit, newest first. A row that cannot be read (a line of the old file cut short
 * by a crash, a key no longer in the ring, a sealed reason altered) is counted, not shown.
 */
export async function readPersonalDataAccesses(records: RecordsDb, page: z.infer<typeof AuditPageQuerySchema>) {
  const keyIds = records.cipher.keyIds;
  const [counts, rows] = await Promise.all([
    records.pool.query<{ total: number; unreadable: number }>(
      `SELECT count(*) FILTER (WHERE ${readable})::int AS total, count(*) FILTER (WHERE NOT (${readable}))::int AS unreadable FROM personal_data_accesses`,
      [keyIds],
    ),
    records.pool.query<AccessRow>(`SELECT ${accessColumnNames.join(', ')} FROM personal_data_accesses WHERE ${readable} ORDER BY at DESC, id DESC LIMIT $2 OFFSET $3`, [keyIds, page.pageSize, page.offset]),
  ]);
  const paged = counts.rows[0]!;
  let { total, unreadable } = paged;
  const items: PersonalDataAccess[] = [];
  for (const row of rows.rows) {
    const access = accessOf(records.cipher, row);
    if (access) {
      items.push(access);
    } else {
      total -= 1;
      unreadable += 1;
    }
  }
  const end = page.offset + page.pageSize;
  return { total, unreadable, items, ...(end < paged.total && { nextOffset: end }) };
}

function accessOf(cipher: RecordCipher, row: AccessRow): PersonalDataAccess | undefined {
  const who = { at: row.at, principal: row.principal, role: row.role };
  try {
    return PersonalDataAccessSchema.parse(
      row.action === 'report-exported'
        ? { ...who, action: row.action, rolloutId: row.rollout_id, reason: row.reason === null ? undefined : cipher.open(row.reason) }
        : { ...who, action: row.action, namespace: row.namespace, ...(row.workflow_id !== null && { workflowId: row.workflow_id }), payloads: row.payloads },
    );
  } catch {
    return undefined;
  }
}
