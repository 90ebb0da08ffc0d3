import { Router } from 'express';
import { z } from 'zod';
import { ProgramPlanSchema } from '../../domain/program-plan';
import type { ApiDeps } from '../api-deps';
import { AppError } from '../app-error';
import { allow, principalOf } from '../auth/authenticate';
import { parseRequest } from '../parse';
import { publishPlan, readCatalog, versionsOf } from './catalog';

const ProgramParamsSchema = z.object({ programId: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be a program id') });
const VersionParamsSchema = ProgramParamsSchema.extend({ version: z.coerce.number().int().min(1) });

/** The program catalog: shipped plans and versions published by coordinators. */
export function programsRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get('/v1/programs', allow('viewer', 'coordinator', 'manager'), async (_req, res) => {
    const catalog = await readCatalog(deps);
    const programs = new Map<string, { programId: string; title: string; versions: number[]; latest: number }>();
    for (const { plan } of catalog) {
      const p = programs.get(plan.programId) ?? { programId: plan.programId, title: plan.title, versions: [], latest: 0 };
      p.versions.push(plan.version);
      p.latest = Math.max(p.latest, plan.version);
      p.title = plan.version === p.latest ? plan.title : p.title;
      programs.set(plan.programId, p);
    }
    res.json({ programs: [...programs.values()] });
  });
  router.get('/v1/programs/:programId/versions/:version', allow('viewer', 'coordinator', 'manager'), async (req, res) => {
    const { programId, version } = parseRequest(VersionParamsSchema, req.params, 'params');
    const entry = (await readCatalog(deps)).find((e) => e.plan.programId === programId && e.plan.version === version);
    if (!entry) throw new AppError('not_found', `no version ${version} of program ${programId}`);
    res.json(entry);
  });
  router.get('/v1/programs/:programId', allow('viewer', 'coordinator', 'manager'), async (req, res) => {
    const { programId } = parseRequest(ProgramParamsSchema, req.params, 'params');
    const versions = versionsOf(await readCatalog(deps), programId);
    if (versions.length === 0) throw new AppError('not_found', `no program ${programId}`);
    res.json({ latest: versions.at(-1)!.plan, versions });
  });
  router.post('/v1/programs', allow('coordinator', 'manager'), async (req, res) => {
    const plan = parseRequest(ProgramPlanSchema, req.body, 'body');
    const entry = await publishPlan(deps, plan, principalOf(res).id);
    res.status(201).location(`/v1/programs/${plan.programId}/versions/${plan.version}`).json(entry);
  });
  return router;
}
