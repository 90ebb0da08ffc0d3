import { titleSchema, type Title } from '../../domain/label';
import { Router } from 'express';
import { z } from 'zod';
import { ProgramIdSchema } from '../../domain/ids';
import { numberText } from '../../domain/number-text';
import { ProgramPlanSchema, unstatedPlanRules } from '../../domain/program-plan';
import type { ApiDeps } from '../api-deps';
import type { ApiRoutes } from '../api-routes';
import { AppError } from '../app-error';
import { principalOf } from '../auth/authenticate';
import { parseRequest } from '../parse';
import { publishPlan, readCatalog, versionsOf } from './catalog';

const ProgramParamsSchema = z.object({ programId: ProgramIdSchema });
const VersionParamsSchema = ProgramParamsSchema.extend({ version: numberText(z.coerce.number().int().min(1).max(1_000_000)) });
const CatalogEntrySchema = z.object({ plan: ProgramPlanSchema, publishedBy: z.string(), publishedAt: z.string() });
const ProgramListSchema = z.object({ programs: z.array(z.object({ programId: z.string(), title: titleSchema(200), versions: z.array(z.number().int()), latest: z.number().int() })) });
const ProgramSchema = z.object({ latest: ProgramPlanSchema, versions: z.array(CatalogEntrySchema) });
const readers = ['viewer', 'coordinator', 'manager'] as const;

/** The program catalog: shipped plans and versions published by coordinators. */
export function programsRouter(deps: ApiDeps, routes: ApiRoutes): Router {
  const router = Router();
  routes.add(
    router,
    'get',
    '/v1/programs',
    { summary: 'The program catalog: shipped and published programs with their versions', roles: readers, responses: { 200: { description: 'programs', schema: ProgramListSchema } } },
    async (_input, _req, res) => {
      const catalog = await readCatalog(deps);
      const programs = new Map<string, { programId: string; title: Title; versions: number[]; latest: number }>();
      for (const { plan } of catalog) {
        const p = programs.get(plan.programId) ?? { programId: plan.programId, title: plan.title, versions: [], latest: 0 };
        p.versions.push(plan.version);
        p.latest = Math.max(p.latest, plan.version);
        p.title = plan.version === p.latest ? plan.title : p.title;
        programs.set(plan.programId, p);
      }
      res.json({ programs: [...programs.values()] });
    },
  );
  routes.add(
    router,
    'get',
    '/v1/programs/:programId/versions/:version',
    {
      summary: 'One version of a program, with who published it and when',
      roles: readers,
      params: VersionParamsSchema,
      responses: { 200: { description: 'the version', schema: CatalogEntrySchema }, 404: { description: 'no such program or version' } },
    },
    async ({ params: { programId, version } }, _req, res) => {
      const entry = (await readCatalog(deps)).find((e) => e.plan.programId === programId && e.plan.version === version);
      if (!entry) throw new AppError('not_found', `no version ${version} of program ${programId}`);
      res.json(entry);
    },
  );
  routes.add(
    router,
    'get',
    '/v1/programs/:programId',
    {
      summary: "A program's latest plan and all its versions, oldest first",
      roles: readers,
      params: ProgramParamsSchema,
      responses: { 200: { description: 'the program', schema: ProgramSchema }, 404: { description: 'no such program' } },
    },
    async ({ params: { programId } }, _req, res) => {
      const versions = versionsOf(await readCatalog(deps), programId);
      if (versions.length === 0) throw new AppError('not_found', `no program ${programId}`);
      res.json({ latest: versions.at(-1)!.plan, versions });
    },
  );
  routes.add(
    router,
    'post',
    '/v1/programs',
    {
      summary: 'Publish the next version of a program (kept durably; a rollout pins one version)',
      roles: ['coordinator', 'manager'],
      body: { 'application/json': ProgramPlanSchema },
      responses: {
        201: { description: 'published (or the same plan published before)', schema: CatalogEntrySchema },
        409: { description: 'not the next version, or that version exists with other content' },
        422: { description: `the plan ${unstatedPlanRules}` },
      },
    },
    async (_input, req, res) => {
      const plan = parseRequest(ProgramPlanSchema, req.body, 'body', { unstatedRules: 'unprocessable' });
      const entry = await publishPlan(deps, plan, principalOf(res).id);
      res.status(201).location(`/v1/programs/${plan.programId}/versions/${plan.version}`).json(entry);
    },
  );
  return router;
}
