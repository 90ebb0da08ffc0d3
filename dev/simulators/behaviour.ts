import { z } from 'zod';
import { FamilyCardNumberSchema } from '../../domain/household';

export const RejectionBehaviourSchema = z.object({
  /** at-request: the task request itself is refused (422); by-webhook: accepted, then reported rejected. */
  mode: z.enum(['at-request', 'by-webhook']),
  /** Reject this household's first `times` task requests; 0 rejects them all. */
  times: z.number().int().min(0).default(0),
  /** The reason given at request instead of the usual one: e.g. one naming the person, as a real register's may. */
  reason: z.string().min(1).max(1_000).optional(),
});

/** How a simulated ministry behaves; changed at run time over PATCH /_simulator/behaviour. */
export const BehaviourSchema = z.object({
  /** How long the ministry takes before it reports a task's outcome. */
  delayMs: z.number().int().min(0).max(86_400_000),
  /** Answer the next N task requests with 503, then recover. */
  failRequests: z.number().int().min(0),
  /** Accept tasks but never report an outcome. */
  silent: z.boolean(),
  rejectHouseholds: z.record(FamilyCardNumberSchema, RejectionBehaviourSchema),
  /** Reject this share of households (chosen by a hash of the KK, so always the same ones), by webhook. */
  rejectShare: z.number().min(0).max(1),
});
export type Behaviour = z.infer<typeof BehaviourSchema>;
export const BehaviourPatchSchema = BehaviourSchema.partial().strict();

export function defaultBehaviour(delayMs: number): Behaviour {
  return { delayMs, failRequests: 0, silent: false, rejectHouseholds: {}, rejectShare: 0 };
}
