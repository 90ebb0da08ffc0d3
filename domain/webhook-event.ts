import { z } from 'zod';
import { IdempotencyKeySchema, TaskIdSchema } from './ids';
import { atMostCharacters, nonBlankText } from './text';

/**
 * The body a ministry posts to /v1/webhooks/:agency, in the Standard Webhooks envelope
 * (type, timestamp, data). The webhook-id header identifies the delivery.
 */
// The README's worked example: a KK in the task id is the household's, translated to its pseudonym.
const exampleTask = 'run:malang-2026-q1:3507010101010001:aid:1';

export const WebhookEventSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('task.completed'),
      timestamp: z.iso.datetime({ offset: true }),
      data: z.object({ taskId: TaskIdSchema, result: z.record(z.string(), z.unknown()) }),
    })
    .meta({ examples: [{ type: 'task.completed', timestamp: '2026-11-22T10:00:00+07:00', data: { taskId: exampleTask, result: { amount: 750000, transferReference: 'TRF-0001' } } }] }),
  z
    .object({
      type: z.literal('task.rejected'),
      timestamp: z.iso.datetime({ offset: true }),
      data: z.object({ taskId: TaskIdSchema, reason: nonBlankText(2000) }),
    })
    .meta({ examples: [{ type: 'task.rejected', timestamp: '2026-11-22T10:00:00+07:00', data: { taskId: exampleTask, reason: 'not in the PKH beneficiary list' } }] }),
  z.object({
    type: z.literal('task.failed'),
    timestamp: z.iso.datetime({ offset: true }),
    data: z.object({ taskId: TaskIdSchema, reason: nonBlankText(2000) }),
  }),
  z
    .object({
      type: z.literal('task.acknowledged'),
      timestamp: z.iso.datetime({ offset: true }),
      data: z.object({ taskId: TaskIdSchema, note: atMostCharacters(2000).optional() }),
    })
    .meta({ examples: [{ type: 'task.acknowledged', timestamp: '2026-11-21T09:00:00+07:00', data: { taskId: exampleTask, note: 'received by the district office' } }] }),
  z.object({
    type: z.literal('task.progress'),
    timestamp: z.iso.datetime({ offset: true }),
    data: z.object({
      taskId: TaskIdSchema,
      /** Agency-specific figures so far, e.g. { attendancePercent: 40 }. */
      progress: z.record(z.string(), z.unknown()),
      note: atMostCharacters(2000).optional(),
    }),
  }),
]);
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;

/** Unique per event and the same on every redelivery: the run's update id. */
export const WebhookIdSchema = IdempotencyKeySchema;
