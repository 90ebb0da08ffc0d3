import { createHash, randomUUID } from 'node:crypto';
import type { Behaviour } from './behaviour';

/** The one reason a simulated ministry gives for turning a household away, at request or by webhook. */
export const ineligibleReason = 'household not eligible in the ministry register';

export interface SimulatedTask {
  taskId: string;
  agencyReference: string;
  householdId: string;
  /** Every request received for this task id, including refused and failed ones. */
  requests: number;
  /** How many times the ministry opened it: stays 1 however often the request repeats. */
  opened: number;
  outcome?: 'completed' | 'rejected';
  webhookStatus?: number;
  deliveredAt?: string;
  webhookLatencyMs?: number;
  /** When Sinergi withdrew it (retry, reassign, skip or cancel); it is then never reported. */
  cancelledAt?: string;
}

export type Admission =
  | { kind: 'unavailable' }
  | { kind: 'refused'; reason: string }
  | { kind: 'opened'; task: SimulatedTask; report: 'completed' | 'rejected' | 'none' }
  | { kind: 'existing'; task: SimulatedTask };

/**
 * The ministry's book of tasks, keyed by Sinergi's task id (its idempotency key), and the
 * decisions the behaviour asks for: fail, refuse, or open once and later report. A repeated
 * request gets its first answer again, a refusal included.
 */
export class TaskRegistry {
  private readonly byId = new Map<string, SimulatedTask>();
  private readonly refusedById = new Map<string, string>();
  private readonly requestCounts = new Map<string, number>();
  private readonly rejectionsByHousehold = new Map<string, number>();

  constructor(private readonly referencePrefix: string) {}

  cancel(taskId: string): SimulatedTask | undefined {
    const task = this.byId.get(taskId);
    if (task) task.cancelledAt ??= new Date().toISOString();
    return task;
  }

  admit(taskId: string, householdId: string, behaviour: Behaviour): Admission {
    this.requestCounts.set(taskId, (this.requestCounts.get(taskId) ?? 0) + 1);
    if (behaviour.failRequests > 0) {
      behaviour.failRequests -= 1;
      return { kind: 'unavailable' };
    }
    const existing = this.byId.get(taskId);
    if (existing) return { kind: 'existing', task: existing };
    const refused = this.refusedById.get(taskId);
    if (refused) return { kind: 'refused', reason: refused };
    const rejection = this.rejectionFor(householdId, behaviour);
    if (rejection === 'at-request') {
      const reason = behaviour.rejectHouseholds[householdId]?.reason ?? ineligibleReason;
      this.refusedById.set(taskId, reason);
      return { kind: 'refused', reason };
    }
    const task: SimulatedTask = {
      taskId,
      agencyReference: `${this.referencePrefix}-${randomUUID().slice(0, 8).toUpperCase()}`,
      householdId,
      requests: 0,
      opened: 1,
    };
    this.byId.set(taskId, task);
    return { kind: 'opened', task, report: behaviour.silent ? 'none' : rejection === 'by-webhook' ? 'rejected' : 'completed' };
  }

  private rejectionFor(householdId: string, behaviour: Behaviour): 'at-request' | 'by-webhook' | undefined {
    const rule = behaviour.rejectHouseholds[householdId];
    if (!rule) return behaviour.rejectShare > 0 && shareOf(householdId) < behaviour.rejectShare ? 'by-webhook' : undefined;
    const sofar = this.rejectionsByHousehold.get(householdId) ?? 0;
    if (rule.times !== 0 && sofar >= rule.times) return undefined;
    this.rejectionsByHousehold.set(householdId, sofar + 1);
    return rule.mode;
  }

  /** The opened tasks (a refused request opens none), with their request counts. */
  list(): SimulatedTask[] {
    return [...this.byId.values()].map((t) => ({ ...t, requests: this.requestCounts.get(t.taskId) ?? 0 }));
  }

  reset(): void {
    this.byId.clear();
    this.refusedById.clear();
    this.requestCounts.clear();
    this.rejectionsByHousehold.clear();
  }
}

/** A stable number in [0, 1) per household, so the same share of households is always the same ones. */
function shareOf(householdId: string): number {
  return createHash('sha256').update(householdId).digest().readUInt32BE(0) / 2 ** 32;
}
