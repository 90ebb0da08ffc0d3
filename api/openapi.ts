import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { AgencySchema } from '../domain/agency';
import { RunIdSchema, TaskIdSchema } from '../domain/ids';
import { WebhookEventSchema, WebhookIdSchema } from '../domain/webhook-event';
import { BulkOperationRequestSchema } from './bulk/bulk-operations';
import { ListRunsQuerySchema } from './runs/list-runs';
import { StartRunRequestSchema } from './runs/start-run';
import { StuckQuerySchema } from '../visibility/stuck-steps';

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
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Sinergi API', version: '1' },
  });
}
