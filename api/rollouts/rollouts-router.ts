import { Router } from 'express';
import { z } from 'zod';
import { RolloutIdSchema } from '../../domain/ids';
import { RolloutControlSchema } from '../../domain/rollout';
import { ReasonSchema } from '../../domain/step-operation';
import { recordPersonalDataAccess } from '../audit/personal-data-audit';
import { recordedExport } from '../audit/report-exports';
import type { ApiDeps } from '../api-deps';
import type { ApiRoutes } from '../api-routes';
import { principalOf } from '../auth/authenticate';
import { personalDataRoles, scopeOf } from '../auth/principal';
import { IdempotencyHeadersSchema, idempotencyKeyOf } from '../idempotency-key';
import { parseRequest } from '../parse';
import { pageNotFoundResponse } from '../runs/page-token';
import { controlRollout } from './control-rollout';
import { ListRolloutsQuerySchema, listRollouts } from './list-rollouts';
import { PreviewRolloutRequestSchema, previewRollout } from './preview-rollout';
import { readRollout, rolloutGraduation, rolloutProgress } from './rollout-progress';
import { writeRolloutReport } from './rollout-report';
import { ControlledRolloutSchema, RolloutGraduationQuerySchema, RolloutGraduationSchema, RolloutPageSchema, RolloutPreviewSchema, RolloutProgressSchema, StartedRolloutSchema } from './rollout-responses';
import { StartRolloutRequestSchema, startRollout } from './start-rollout';

const RolloutParamsSchema = z.object({ id: RolloutIdSchema });
const ControlBodySchema = RolloutControlSchema.pick({ reason: true });
const PersonalDataReportQuerySchema = z.object({ reason: ReasonSchema.meta({ description: 'why the personal data is needed; kept in the audit (sealed), never logged' }) });
const noSuchRollout = { description: "no such rollout, or one without a household in the caller's regions (answered alike)" };
const reportAnswer = { 200: { description: "the report: for a caller limited to regions, the households there alone", content: { 'text/csv': z.string() } }, 404: noSuchRollout };
const cohortOutsideRegions = {
  403: { description: "a role that may not do this, or a cohort with households outside the caller's regions (fields names body.cohortId; details.foreignRegencies lists the regencies)" },
};
const notFoundInCatalog = { 404: { description: 'no such program or version in the catalog, or no such imported cohort (fields names body.programId, body.version or body.cohortId)' } };

export function rolloutsRouter(deps: ApiDeps, routes: ApiRoutes): Router {
  const router = Router();
  routes.add(
    router,
    'post',
    '/v1/rollouts/preview',
    {
      summary: 'Who a rollout would enrol, who not and why; starts nothing',
      roles: ['coordinator', 'manager'],
      body: { 'application/json': PreviewRolloutRequestSchema },
      responses: { 200: { description: 'counts, and excluded and flagged households with reasons', schema: RolloutPreviewSchema }, ...cohortOutsideRegions, ...notFoundInCatalog },
    },
    async (_input, req, res) => {
      res.json(await previewRollout(deps, parseRequest(PreviewRolloutRequestSchema, req.body, 'body'), scopeOf(principalOf(res))));
    },
  );
  routes.add(
    router,
    'post',
    '/v1/rollouts',
    {
      summary: 'Start a rollout: a durable workflow that screens and starts the runs in batches',
      roles: ['coordinator'],
      body: { 'application/json': StartRolloutRequestSchema },
      responses: { 201: { description: 'started', schema: StartedRolloutSchema }, ...cohortOutsideRegions, ...notFoundInCatalog, 409: { description: 'the rollout id is taken' } },
    },
    async (_input, req, res) => {
      const request = parseRequest(StartRolloutRequestSchema, req.body, 'body');
      const started = await startRollout(deps, request, principalOf(res).id, scopeOf(principalOf(res)), deps.rolloutPace);
      res.status(201).location(`/v1/rollouts/${started.rolloutId}`).json(started);
    },
  );
  routes.add(
    router,
    'get',
    '/v1/rollouts',
    {
      summary: 'List rollouts through Temporal visibility, running ones newest first, then ended ones by when they ended',
      roles: ['viewer', 'coordinator', 'manager'],
      query: ListRolloutsQuerySchema,
      responses: { 200: { description: 'a page of rollouts', schema: RolloutPageSchema }, ...pageNotFoundResponse },
    },
    async ({ query }, _req, res) => {
      res.json(await listRollouts(deps, query, scopeOf(principalOf(res))));
    },
  );
  routes.add(
    router,
    'get',
    '/v1/rollouts/:id',
    {
      summary: 'Progress from visibility: counts by step and outcome, stuck, welfare before and after, graduation, and the regencies covered',
      roles: ['viewer', 'coordinator', 'manager'],
      params: RolloutParamsSchema,
      responses: { 200: { description: "progress (for a caller limited to regions, of the households there alone: see `regions`)", schema: RolloutProgressSchema }, 404: noSuchRollout },
    },
    async ({ params: { id } }, _req, res) => {
      res.json(await rolloutProgress(deps, id, scopeOf(principalOf(res))));
    },
  );
  routes.add(
    router,
    'get',
    '/v1/rollouts/:id/graduation',
    {
      summary: 'Graduation from visibility: graduated, extended, exited, relapsed, readiness score bands and criteria met, for the whole rollout or one regency',
      roles: ['viewer', 'coordinator', 'manager'],
      params: RolloutParamsSchema,
      query: RolloutGraduationQuerySchema,
      responses: { 200: { description: 'the graduation counts', schema: RolloutGraduationSchema }, 404: noSuchRollout },
    },
    async ({ params: { id }, query: { regency } }, _req, res) => {
      res.json(await rolloutGraduation(deps, id, scopeOf(principalOf(res)), regency));
    },
  );
  routes.add(
    router,
    'get',
    '/v1/rollouts/:id/report.csv',
    {
      summary: "One CSV line per household of the cohort; the head's NIK masked (350701******0003), no phone or e-mail. Each export is recorded (GET /v1/audit/exports)",
      roles: ['coordinator', 'manager'],
      params: RolloutParamsSchema,
      responses: reportAnswer,
    },
    async ({ params: { id } }, _req, res) => {
      // Read before the headers go out, so an unknown rollout is still a 404.
      const principal = principalOf(res);
      const scope = scopeOf(principal);
      const { input } = await readRollout(deps, id, scope);
      // Every export is recorded (GET /v1/audit/exports), masked ones too, before it goes out: who took which households out.
      await recordedExport(deps, { rolloutId: id, principal, scope, personalData: false }, () =>
        writeRolloutReport(deps, input, res.type('text/csv; charset=utf-8').attachment(`rollout-${id}.csv`), { personalData: false, scope }),
      );
    },
  );
  // A path of its own rather than a flag on report.csv: the reason it requires is then a required
  // parameter the document states, not a rule across parameters.
  routes.add(
    router,
    'get',
    '/v1/rollouts/:id/report-with-personal-data.csv',
    {
      summary: "The report with personal data in full: the head's NIK, phone and e-mail. Needs the right to personal data and a reason; each export is audited (GET /v1/audit/personal-data, GET /v1/audit/exports)",
      roles: personalDataRoles,
      params: RolloutParamsSchema,
      query: PersonalDataReportQuerySchema,
      responses: reportAnswer,
    },
    async ({ params: { id }, query: { reason } }, _req, res) => {
      const principal = principalOf(res);
      const scope = scopeOf(principal);
      const { input } = await readRollout(deps, id, scope);
      // Recorded before any of it goes out: an export that cannot be audited does not happen.
      await recordPersonalDataAccess(deps, { action: 'report-exported', at: new Date().toISOString(), principal: principal.id, role: principal.role, rolloutId: id, reason });
      const rows = await recordedExport(deps, { rolloutId: id, principal, scope, personalData: true }, () =>
        writeRolloutReport(deps, input, res.type('text/csv; charset=utf-8').attachment(`rollout-${id}-personal-data.csv`).set('Cache-Control', 'no-store'), { personalData: true, scope }),
      );
      deps.logger.info({ audit: 'report-exported', principal: principal.id, role: principal.role, rolloutId: id, rows }, 'report with personal data sent');
    },
  );
  // Pause, resume and cancel: coordinators run their rollouts, managers may stop them too.
  // One path each, so that no other path under a rollout (report.csv) reads as an action.
  for (const action of RolloutControlSchema.shape.action.options) {
    routes.add(
      router,
      'post',
      `/v1/rollouts/:id/${action}`,
      {
        summary: `${action[0]!.toUpperCase()}${action.slice(1)} a rollout, with a reason${action === 'pause' ? ' (its runs finish the task under way and open no new one)' : ''}`,
        roles: ['coordinator', 'manager'],
        params: RolloutParamsSchema,
        headers: IdempotencyHeadersSchema,
        body: { 'application/json': ControlBodySchema },
        responses: {
          200: { description: 'recorded', schema: ControlledRolloutSchema },
          403: { description: "a role that may not do this, or a rollout with households outside the caller's regions (fields names params.id; details.foreignRegencies lists the regencies)" },
          409: { description: "does not apply to the rollout as it is, or it does not exist (or has no household in the caller's regions)" },
        },
      },
      async ({ params: { id } }, req, res) => {
        const control = parseRequest(RolloutControlSchema, { ...req.body, action }, 'body');
        res.json(await controlRollout(deps, id, control, principalOf(res).id, scopeOf(principalOf(res)), idempotencyKeyOf(req)));
      },
    );
  }
  return router;
}
