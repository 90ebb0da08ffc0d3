import { z } from 'zod';
import { IdempotencyKeySchema, TaskIdSchema } from './ids';

/**
 * The body a ministry posts to /v1/webhooks/:agency, in the Standard Webhooks envelope
 * (type, timestamp, data). The webhook-id header identifies the delivery.
 */
export const WebhookEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('task.completed'),
    timestamp: z.iso.datetime({ offset: true }),
    data: z.object({ taskId: TaskIdSchema, result: z.record(z.string(), z.unknown()) }),
  }),
  z.object({
    type: z.literal('task.rejected'),
    timestamp: z.iso.datetime({ offset: true }),
    data: z.object({ taskId: TaskIdSchema, reason: z.string().trim().min(1).max(2000) }),
  }),
  z.object({
    type: z.literal('task.failed'),
    timestamp: z.iso.datetime({ offset: true }),
    data: z.object({ taskId: TaskIdSchema, reason: z.string().trim().min(1).max(2000) }),
  }),
  z.object({
    type: z.literal('task.acknowledged'),
    timestamp: z.iso.datetime({ offset: true }),
    data: z.object({ taskId: TaskIdSchema, note: z.string().max(2000).optional() }),
  }),
  z.object({
    type: z.literal('task.progress'),
    timestamp: z.iso.datetime({ offset: true }),
    data: z.object({
      taskId: TaskIdSchema,
      /** Agency-specific figures so far, e.g. { attendancePercent: 40 }. */
      progress: z.record(z.string(), z.unknown()),
      note: z.string().max(2000).optional(),
    }),
  }),
]);
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;

/** Unique per event and the same on every redelivery: the run's update id. */
export const WebhookIdSchema = IdempotencyKeySchema;
