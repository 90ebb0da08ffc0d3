import { Router } from 'express';
import { z } from 'zod';
import { StuckQuerySchema } from '../../domain/stuck-query';
import { readStuckSteps } from '../../records/read-stuck';
import type { ApiDeps } from '../api-deps';
import type { ApiRoutes } from '../api-routes';
import { principalOf } from '../auth/authenticate';
import { scopeOf } from '../auth/principal';
import type { Fits } from '../fits';
import { HouseholdKeyFieldSchema } from '../runs/run-responses';

const optional = z.string().optional();
const StuckPageSchema = z.object({
  total: z.number().int(),
  counts: z.object({ byAgency: z.record(z.string(), z.number().int()), byRegion: z.record(z.string(), z.number().int()) }),
  items: z.array(
    z.object({
      runId: z.string(),
      taskId: optional,
      rolloutId: optional,
      programId: optional,
      householdKey: HouseholdKeyFieldSchema.optional(),
      region: optional,
      step: optional,
      agency: optional,
      deadline: optional,
      stuckSince: optional,
      daysOverdue: z.number().int().optional(),
    }),
  ),
  nextOffset: z.number().int().optional(),
});
const _pageFits: Fits<Awaited<ReturnType<typeof readStuckSteps>>, typeof StuckPageSchema> = true;

export function stuckRouter(deps: ApiDeps, routes: ApiRoutes): Router {
  const router = Router();
  routes.add(
    router,
    'get',
    '/v1/stuck',
    {
      summary: "Stuck steps across all runs in the caller's regions (a region filter is intersected with them), oldest first, with counts per agency and regency, from Sinergi's records store",
      roles: ['viewer', 'coordinator', 'manager'],
      query: StuckQuerySchema,
      responses: { 200: { description: 'a page of stuck steps', schema: StuckPageSchema } },
    },
    async ({ query }, _req, res) => {
      res.json(await readStuckSteps(deps.records, query, scopeOf(principalOf(res))));
    },
  );
  return router;
}
