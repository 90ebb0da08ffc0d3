import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { AgencySchema } from '../domain/agency';
import { RunIdSchema, TaskIdSchema } from '../domain/ids';
import { WebhookEventSchema, WebhookIdSchema } from '../domain/webhook-event';
import { BulkOperationRequestSchema } from './bulk/bulk-operations';
import { ListRunsQuerySchema } from './runs/list-runs';
import { StartRunRequestSchema } from './runs/start-run';
import { StuckQuerySchema } from '../temporal/visibility/stuck-steps';
import { ProgramPlanSchema } from '../domain/program-plan';
import { CohortIdSchema, RolloutControlSchema } from '../domain/rollout';
import { RolloutIdSchema } from '../domain/ids';
import { PreviewRolloutRequestSchema } from './rollouts/preview-rollout';
import { StartRolloutRequestSchema } from './rollouts/start-rollout';

const ErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
});
const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const errors = {
  400: json(ErrorSchema, 'bad input; `fields` names each bad field'),
  503: json(ErrorSchema, 'Temporal is unreachable; retry after Retry-After seconds'),
};

/** The OpenAPI document, generated from the same zod schemas the routes parse with. */
export function openApiDocument() {
  const registry = new OpenAPIRegistry();
  registry.registerPath({
    method: 'post',
    path: '/v1/runs',
    summary: "Start one household's run through a program",
    request: { body: { content: { 'application/json': { schema: StartRunRequestSchema } } } },
    responses: { 201: json(z.object({ runId: z.string() }), 'started'), 409: json(ErrorSchema, 'the household already has a run in this rollout'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/runs',
    summary: 'List runs through Temporal visibility',
    request: { query: ListRunsQuerySchema },
    responses: { 200: json(z.object({ runs: z.array(z.record(z.string(), z.unknown())), nextPageToken: z.string().optional() }), 'a page of runs'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/runs/{id}',
    summary: "A run's state and Temporal status",
    request: { params: z.object({ id: RunIdSchema }) },
    responses: { 200: json(z.record(z.string(), z.unknown()), 'the run'), 404: json(ErrorSchema, 'no such run'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/webhooks/{agency}',
    summary: "A ministry reports a task's outcome (Standard Webhooks headers)",
    request: {
      params: z.object({ agency: AgencySchema }),
      headers: z.object({ 'webhook-id': WebhookIdSchema, 'webhook-timestamp': z.string() }),
      body: { content: { 'application/json': { schema: WebhookEventSchema } } },
    },
    responses: {
      200: json(z.object({ taskId: z.string(), outcome: z.string() }), 'durably recorded in the run (also for a redelivery)'),
      403: json(ErrorSchema, "the task belongs to another agency"),
      404: json(ErrorSchema, 'unknown task'),
      409: json(ErrorSchema, 'the task is already closed'),
      422: json(ErrorSchema, 'the result lacks what the step kind needs'),
      ...errors,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/stuck',
    summary: 'Stuck steps across all runs, oldest first, with counts per agency and regency',
    request: { query: StuckQuerySchema },
    responses: { 200: json(z.record(z.string(), z.unknown()), 'a page of stuck steps'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/agencies/{agency}/tasks',
    summary: "An agency's open tasks",
    request: { params: z.object({ agency: AgencySchema }), query: z.object({ status: z.literal('open').optional() }) },
    responses: { 200: json(z.record(z.string(), z.unknown()), 'open tasks'), 403: json(ErrorSchema, "another agency's tasks"), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/agencies/{agency}/tasks/{taskId}',
    summary: 'The request sent for one task, for an agency catching up',
    request: { params: z.object({ agency: AgencySchema, taskId: TaskIdSchema }) },
    responses: { 200: json(z.record(z.string(), z.unknown()), 'the task request'), 404: json(ErrorSchema, 'no such task of this agency'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/runs/{id}/steps/{key}/{op}',
    summary: "A manager's operation on the open step: retry, skip, extend or reassign, with a reason",
    request: { params: z.object({ id: RunIdSchema, key: z.string(), op: z.enum(['retry', 'skip', 'extend', 'reassign']) }), body: { content: { 'application/json': { schema: z.object({ reason: z.string(), extendBy: z.string().optional(), agency: AgencySchema.optional() }) } } } },
    responses: { 200: json(z.record(z.string(), z.unknown()), 'recorded in the run'), 409: json(ErrorSchema, 'does not apply to the run as it is'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/runs/{id}/cancel',
    summary: 'Cancel a run, with a reason',
    request: { params: z.object({ id: RunIdSchema }), body: { content: { 'application/json': { schema: z.object({ reason: z.string() }) } } } },
    responses: { 200: json(z.record(z.string(), z.unknown()), 'recorded in the run'), 409: json(ErrorSchema, 'the run has ended'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/bulk-operations',
    summary: 'Apply one operation to every running run a filter matches, as a durable operation',
    request: { body: { content: { 'application/json': { schema: BulkOperationRequestSchema } } } },
    responses: { 202: json(z.object({ operationId: z.string() }), 'started'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/bulk-operations/{id}',
    summary: "A bulk operation's progress or result",
    request: { params: z.object({ id: z.string() }) },
    responses: { 200: json(z.record(z.string(), z.unknown()), 'progress or result'), 404: json(ErrorSchema, 'no such operation'), ...errors },
  });
  const anyJson = (description: string) => json(z.record(z.string(), z.unknown()), description);
  registry.registerPath({ method: 'get', path: '/v1/programs', summary: 'The program catalog: shipped and published programs with their versions', responses: { 200: anyJson('programs'), ...errors } });
  registry.registerPath({
    method: 'post',
    path: '/v1/programs',
    summary: 'Publish the next version of a program (kept durably; a rollout pins one version)',
    request: { body: { content: { 'application/json': { schema: ProgramPlanSchema } } } },
    responses: { 201: anyJson('published (or the same plan published before)'), 409: json(ErrorSchema, 'not the next version, or that version exists with other content'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/cohorts',
    summary: 'Import a cohort (CSV, comma or semicolon, or a JSON array), streamed; answers the row validation report',
    request: { body: { content: { 'text/csv': { schema: z.string() }, 'application/json': { schema: z.array(z.record(z.string(), z.unknown())) } } } },
    responses: { 201: anyJson('the cohort id and its validation report'), ...errors },
  });
  registry.registerPath({ method: 'get', path: '/v1/cohorts/{id}', summary: "A cohort's validation report", request: { params: z.object({ id: CohortIdSchema }) }, responses: { 200: anyJson('report'), 404: json(ErrorSchema, 'no such cohort'), ...errors } });
  registry.registerPath({
    method: 'post',
    path: '/v1/rollouts/preview',
    summary: 'Who a rollout would enrol, who not and why; starts nothing',
    request: { body: { content: { 'application/json': { schema: PreviewRolloutRequestSchema } } } },
    responses: { 200: anyJson('counts and excluded households with reasons'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/rollouts',
    summary: 'Start a rollout: a durable workflow that screens and starts the runs in batches',
    request: { body: { content: { 'application/json': { schema: StartRolloutRequestSchema } } } },
    responses: { 201: anyJson('started'), 409: json(ErrorSchema, 'the rollout id is taken'), ...errors },
  });
  registry.registerPath({ method: 'get', path: '/v1/rollouts/{id}', summary: 'Progress from visibility: counts by step and outcome, stuck, welfare before and after', request: { params: z.object({ id: RolloutIdSchema }) }, responses: { 200: anyJson('progress'), 404: json(ErrorSchema, 'no such rollout'), ...errors } });
  registry.registerPath({ method: 'get', path: '/v1/rollouts/{id}/report.csv', summary: 'One CSV line per household of the cohort', request: { params: z.object({ id: RolloutIdSchema }) }, responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } }, ...errors } });
  registry.registerPath({
    method: 'post',
    path: '/v1/rollouts/{id}/{action}',
    summary: 'Pause (runs open no new task), resume or cancel a rollout, with a reason',
    request: { params: z.object({ id: RolloutIdSchema, action: RolloutControlSchema.shape.action }), body: { content: { 'application/json': { schema: RolloutControlSchema.pick({ reason: true }) } } } },
    responses: { 200: anyJson('recorded'), 409: json(ErrorSchema, 'does not apply to the rollout as it is'), ...errors },
  });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Sinergi API', version: '1' },
  });
}
