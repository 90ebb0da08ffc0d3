import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { RunIdSchema, StepKeySchema } from '../../domain/ids';
import { StepOperationNameSchema, type StepOperationName } from '../../domain/operation-name';
import { unstatedPlanRules } from '../../domain/program-plan';
import { operationFields, StepOperationSchema, type StepOperation } from '../../domain/step-operation';
import type { ApiMetrics } from '../../lib/metrics';
import type { ApiDeps } from '../api-deps';
import type { ApiRoutes } from '../api-routes';
import { principalOf } from '../auth/authenticate';
import { countOperation } from '../count-operation';
import { scopeOf } from '../auth/principal';
import { IdempotencyHeadersSchema, idempotencyKeyOf } from '../idempotency-key';
import { parseRequest } from '../parse';
import { getRun } from './get-run';
import { ListRunsQuerySchema, listRuns } from './list-runs';
import { operateRun } from './operate-run';
import { pageNotFoundResponse } from './page-token';
import { resolveRunId, resolvedParam } from './run-ref';
import { OperatedRunSchema, RunPageSchema, RunViewSchema, StartedRunSchema } from './run-responses';
import { StartRunRequestSchema, startRun } from './start-run';

const RunParamsSchema = z.object({ id: RunIdSchema });
const StepParamsSchema = RunParamsSchema.extend({ key: StepKeySchema });
/** One path per operation on a step, as its body differs: extend needs extendBy, reassign the agency. */
const stepOperationSummaries: Record<StepOperationName, string> = {
  retry: "A manager's retry of the open step (a new attempt at its agency), with a reason",
  skip: "A manager's skip of the open step, with a reason",
  extend: "A manager's extension of the open step's deadline by extendBy, with a reason",
  reassign: "A manager's move of the open step to another agency that does its kind, with a reason",
};
const readers = ['viewer', 'coordinator', 'manager'] as const;
const noSuchRun = { description: "no such run, or a run outside the caller's regions (answered alike, so its existence is not revealed)" };
const operationResponses = {
  200: { description: 'recorded in the run (the same Idempotency-Key again: the first answer)', schema: OperatedRunSchema },
  404: noSuchRun,
  409: { description: 'does not apply to the run as it is now (e.g. it has ended)' },
};

export function runsRouter(deps: ApiDeps, routes: ApiRoutes, metrics: ApiMetrics): Router {
  const router = Router();
  // Every operation on a run, whichever route asked for it, goes through here and is counted.
  const operate = (id: string, operation: StepOperation, req: Request, res: Response) =>
    countOperation(metrics, operation.op, 'applied', () => operateRun(deps, id, operation, principalOf(res).id, scopeOf(principalOf(res)), idempotencyKeyOf(req)));
  // A run named by KK (run:<rollout>:<KK>) is the run Temporal knows by the household's pseudonym.
  router.param('id', resolvedParam((id) => resolveRunId(deps, id)));
  routes.add(
    router,
    'post',
    '/v1/runs',
    {
      summary: "Start one household's run through a program, screened as a rollout screens it (eligibility, overlap, recently received)",
      roles: ['coordinator', 'manager'],
      body: { 'application/json': StartRunRequestSchema },
      responses: {
        201: { description: 'started (forced: a manager started it past the screening, kept on the run)', schema: StartedRunSchema },
        403: { description: 'a role that may not do this, `force` from anyone but a manager (fields names body.force), or a household outside the caller\'s regions (fields names body.household.region)' },
        404: { description: 'no such program or version in the catalog (fields names body.programId or body.version)' },
        409: { description: 'the household already has a run in this rollout' },
        422: {
          description:
            'the screening excludes the household: `reason` (decile-above-maximum, welfare-status-not-allowed, region-not-covered, already-enrolled, overlapping-program, recently-received) and `detail` (e.g. the overlapping run), and fields names the household field; a manager may force all but already-enrolled. Or an inline `plan` ' +
            unstatedPlanRules,
        },
      },
    },
    async (_input, req, res) => {
      const request = parseRequest(StartRunRequestSchema, req.body, 'body', { unstatedRules: 'unprocessable' });
      const principal = principalOf(res);
      const started = await startRun(deps, request, principal.id, principal.role, scopeOf(principal));
      metrics.runStarted();
      const self = `/v1/runs/${encodeURIComponent(started.runId)}`;
      res
        .status(201)
        .location(self)
        .json({ ...started, links: { self, ...(deps.temporalUiUrl && { temporalUi: temporalUiLink(deps, started.runId) }) } });
    },
  );
  routes.add(
    router,
    'get',
    '/v1/runs',
    {
      summary: "List runs through Temporal visibility: only those in the caller's regions (a region filter is intersected with them)",
      roles: readers,
      query: ListRunsQuerySchema,
      responses: { 200: { description: 'a page of runs', schema: RunPageSchema }, ...pageNotFoundResponse },
    },
    async ({ query }, _req, res) => {
      res.json(await listRuns(deps, query, scopeOf(principalOf(res))));
    },
  );
  routes.add(
    router,
    'get',
    '/v1/runs/:id',
    {
      summary: "A run's state and Temporal status",
      roles: readers,
      params: RunParamsSchema,
      responses: { 200: { description: 'the run', schema: RunViewSchema }, 404: noSuchRun },
    },
    async ({ params: { id } }, _req, res) => {
      const run = await getRun(deps, id, scopeOf(principalOf(res)));
      res.json({ ...run, links: { ...(deps.temporalUiUrl && { temporalUi: temporalUiLink(deps, id) }) } });
    },
  );
  // A manager's operations, each with a reason; recorded in the run with who and when.
  for (const op of StepOperationNameSchema.options) {
    routes.add(
      router,
      'post',
      `/v1/runs/:id/steps/:key/${op}`,
      {
        summary: stepOperationSummaries[op],
        roles: ['manager'],
        params: StepParamsSchema,
        headers: IdempotencyHeadersSchema,
        body: { 'application/json': z.object(operationFields[op]) },
        responses: operationResponses,
      },
      async ({ params: { id, key } }, req, res) => {
        const operation = parseRequest(StepOperationSchema, { ...req.body, op, stepKey: key }, 'body');
        res.json(await operate(id, operation, req, res));
      },
    );
  }
  routes.add(
    router,
    'post',
    '/v1/runs/:id/graduation/decision',
    {
      summary: "A manager's graduation decision where the plan asks for one: approve the proposed decision or take another of the options, with a reason",
      roles: ['manager'],
      params: RunParamsSchema,
      headers: IdempotencyHeadersSchema,
      body: { 'application/json': z.object(operationFields['decide-graduation']) },
      responses: { ...operationResponses, 409: { description: 'no decision is awaited, or the decision is not one of the options' } },
    },
    async ({ params: { id } }, req, res) => {
      const operation = parseRequest(StepOperationSchema, { ...req.body, op: 'decide-graduation' }, 'body');
      res.json(await operate(id, operation, req, res));
    },
  );
  routes.add(
    router,
    'post',
    '/v1/runs/:id/cancel',
    {
      summary: 'Cancel a run, with a reason',
      roles: ['manager'],
      params: RunParamsSchema,
      headers: IdempotencyHeadersSchema,
      body: { 'application/json': z.object(operationFields.cancel) },
      responses: operationResponses,
    },
    async ({ params: { id } }, req, res) => {
      const operation = parseRequest(StepOperationSchema, { ...req.body, op: 'cancel' }, 'body');
      res.json(await operate(id, operation, req, res));
    },
  );
  return router;
}

function temporalUiLink(deps: ApiDeps, runId: string): string {
  return `${deps.temporalUiUrl}/namespaces/${encodeURIComponent(deps.namespace)}/workflows/${encodeURIComponent(runId)}`;
}
