import { z } from 'zod';
import { RolloutIdSchema } from '../../domain/ids';
import type { RegionScope } from '../../domain/region-scope';
import type { Logger } from '../../lib/logger';
import type { RecordsDb } from '../../records/records-db';
import type { Principal } from '../auth/principal';
import { AuditPageQuerySchema } from './personal-data-audit';

/** One export of a rollout's report: who took which households out, when, and whether it all went. */
export const ReportExportSchema = z
  .object({
    rolloutId: z.string(),
    principal: z.string().meta({ description: 'who: the principal id' }),
    role: z.string().meta({ description: "the principal's role at the time" }),
    regions: z.array(z.string()).optional().meta({ description: "the principal's regions, whose households alone the report held; absent for a national principal" }),
    at: z.iso.datetime().meta({ description: 'when it began, UTC' }),
    personalData: z.boolean().meta({ description: 'NIK in full, phone and e-mail (the access, with its reason, is in GET /v1/audit/personal-data)' }),
    format: z.literal('csv'),
    status: z.enum(['started', 'finished', 'failed']).meta({ description: 'started: being sent, or never ended (its process stopped while sending it)' }),
    rows: z.number().int().optional().meta({ description: 'households written, once finished' }),
    endedAt: z.iso.datetime().optional(),
  })
  .meta({ id: 'ReportExport' });
export type ReportExport = z.infer<typeof ReportExportSchema>;

export const ExportsPageQuerySchema = AuditPageQuerySchema.extend({ rolloutId: RolloutIdSchema.optional().meta({ description: "one rollout's exports" }) });

/**
 * Records the export as started, then writes it (`write` answers the households written) and
 * records how it ended. The start is awaited before `write` is called: an export that cannot be
 * recorded does not happen. An end that cannot be recorded (the data is already out) is logged
 * and leaves the export started.
 */
export async function recordedExport(
  deps: { records: RecordsDb; logger: Logger },
  of: { rolloutId: string; principal: Principal; scope: RegionScope; personalData: boolean },
  write: () => Promise<number>,
): Promise<number> {
  const { rows } = await deps.records.pool.query<{ id: number }>(
    `INSERT INTO exports (rollout_id, principal, role, regions, at, personal_data, format) VALUES ($1, $2, $3, $4, $5, $6, 'csv') RETURNING id`,
    [of.rolloutId, of.principal.id, of.principal.role, of.scope === 'national' ? null : of.scope, new Date().toISOString(), of.personalData],
  );
  const id = rows[0]!.id;
  const end = (status: 'finished' | 'failed', written: number | null) =>
    deps.records.pool
      .query(`UPDATE exports SET status = $2, rows_written = $3, ended_at = $4 WHERE id = $1`, [id, status, written, new Date().toISOString()])
      .catch((err: unknown) => deps.logger.error({ exportId: id, status, err: String(err) }, 'could not record how a report export ended'));
  let written: number;
  try {
    written = await write();
  } catch (err) {
    await end('failed', null);
    throw err;
  }
  await end('finished', written);
  return written;
}

interface ExportRow {
  rollout_id: string;
  principal: string;
  role: string;
  regions: string[] | null;
  at: string;
  personal_data: boolean;
  format: 'csv';
  status: ReportExport['status'];
  rows_written: number | null;
  ended_at: string | null;
}

/** A page of the exports, newest first, of every rollout or of one. */
export async function readExports(records: RecordsDb, query: z.infer<typeof ExportsPageQuerySchema>) {
  const where = query.rolloutId === undefined ? '' : 'WHERE rollout_id = $1';
  const params = query.rolloutId === undefined ? [] : [query.rolloutId];
  const [counts, rows] = await Promise.all([
    records.pool.query<{ total: number }>(`SELECT count(*)::int AS total FROM exports ${where}`, params),
    records.pool.query<ExportRow>(`SELECT * FROM exports ${where} ORDER BY at DESC, id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, query.pageSize, query.offset]),
  ]);
  const { total } = counts.rows[0]!;
  const items: ReportExport[] = rows.rows.map((row) => ({
    rolloutId: row.rollout_id,
    principal: row.principal,
    role: row.role,
    ...(row.regions && { regions: row.regions }),
    at: row.at,
    personalData: row.personal_data,
    format: row.format,
    status: row.status,
    ...(row.rows_written !== null && { rows: row.rows_written }),
    ...(row.ended_at !== null && { endedAt: row.ended_at }),
  }));
  const end = query.offset + query.pageSize;
  return { total, items, ...(end < total && { nextOffset: end }) };
}
