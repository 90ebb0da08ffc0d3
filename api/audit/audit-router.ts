import { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../api-deps';
import type { ApiRoutes } from '../api-routes';
import { AppError } from '../app-error';
import { principalOf } from '../auth/authenticate';
import { scopeOf } from '../auth/principal';
import type { Fits } from '../fits';
import { AuditPageQuerySchema, PersonalDataAccessSchema, readPersonalDataAccesses } from './personal-data-audit';
import { ExportsPageQuerySchema, ReportExportSchema, readExports } from './report-exports';

const AuditPageSchema = z.object({
  total: z.number().int(),
  unreadable: z.number().int().meta({ description: 'records that could not be read (a line of the old audit file cut short, a key no longer in the ring), left out' }),
  items: z.array(PersonalDataAccessSchema),
  nextOffset: z.number().int().optional(),
});
const _pageFits: Fits<Awaited<ReturnType<typeof readPersonalDataAccesses>>, typeof AuditPageSchema> = true;

const ExportsPageSchema = z.object({
  total: z.number().int(),
  items: z.array(ReportExportSchema),
  nextOffset: z.number().int().optional(),
});
const _exportsFit: Fits<Awaited<ReturnType<typeof readExports>>, typeof ExportsPageSchema> = true;

// The audits name every region's rollouts and exporters, and the reasons people typed: a manager
// limited to regions would read beyond them, so the audits are national managers' alone.
const nationalOnly = { 403: { description: 'a role that may not do this, or a manager limited to regions (the audit covers every region)' } };
const requireNational = (res: Parameters<typeof principalOf>[0]) => {
  if (scopeOf(principalOf(res)) !== 'national') throw new AppError('forbidden', 'a manager limited to regions may not read the audit: it covers every region');
};

/** Who was given personal data in full, and who took reports out, for the national managers who answer for it. */
export function auditRouter(deps: ApiDeps, routes: ApiRoutes): Router {
  const router = Router();
  routes.add(
    router,
    'get',
    '/v1/audit/personal-data',
    {
      summary: 'Each time personal data was given out in full (a report with NIK and contacts, decrypted payloads): who, when, what and why, newest first',
      roles: ['manager'],
      query: AuditPageQuerySchema,
      temporal: false,
      records: true,
      responses: { 200: { description: 'a page of the audit', schema: AuditPageSchema }, ...nationalOnly },
    },
    async ({ query }, _req, res) => {
      requireNational(res);
      res.set('Cache-Control', 'no-store').json(await readPersonalDataAccesses(deps.records, query));
    },
  );
  routes.add(
    router,
    'get',
    '/v1/audit/exports',
    {
      summary: "Every export of a rollout's report, masked or with personal data: who, in which regions, when, how many households, and whether it finished, newest first",
      roles: ['manager'],
      query: ExportsPageQuerySchema,
      temporal: false,
      records: true,
      responses: { 200: { description: 'a page of the exports', schema: ExportsPageSchema }, ...nationalOnly },
    },
    async ({ query }, _req, res) => {
      requireNational(res);
      res.set('Cache-Control', 'no-store').json(await readExports(deps.records, query));
    },
  );
  return router;
}
