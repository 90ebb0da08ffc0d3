import { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../api-deps';
import type { ApiRoutes } from '../api-routes';
import type { Fits } from '../fits';
import { AuditPageQuerySchema, PersonalDataAccessSchema, readPersonalDataAccesses } from './personal-data-audit';

const AuditPageSchema = z.object({
  total: z.number().int(),
  unreadable: z.number().int().meta({ description: 'records that could not be read (a line cut short, a key no longer in the ring), left out' }),
  items: z.array(PersonalDataAccessSchema),
  nextOffset: z.number().int().optional(),
});
const _pageFits: Fits<Awaited<ReturnType<typeof readPersonalDataAccesses>>, typeof AuditPageSchema> = true;

/** Who was given personal data in full, for the managers who answer for it. */
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
      responses: { 200: { description: 'a page of the audit', schema: AuditPageSchema } },
    },
    async ({ query }, _req, res) => {
      res.set('Cache-Control', 'no-store').json(await readPersonalDataAccesses(deps.dataDir, query));
    },
  );
  return router;
}
