import { createHash, randomUUID } from 'node:crypto';
import type { Behaviour } from './behaviour';

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
}

export type Admission =
  | { kind: 'unavailable' }
  | { kind: 'refused'; reason: string }
  | { kind: 'opened'; task: SimulatedTask; report: 'completed' | 'rejected' | 'none' }
  | { kind: 'existing'; task: SimulatedTask };

/**
 * The ministry's book of tasks, keyed by Sinergi's task id (its idempotency key), and the
 * decisions the behaviour asks for: fail, refuse, or open once and later report.
 */
export class TaskRegistry {
  private readonly byId = new Map<string, SimulatedTask>();
  private readonly requestCounts = new Map<string, number>();
  private readonly rejections = new Map<string, number>();

  constructor(private readonly agencyPrefix: string) {}

  admit(taskId: string, householdId: string, behaviour: Behaviour): Admission {
    this.requestCounts.set(taskId, (this.requestCounts.get(taskId) ?? 0) + 1);
    if (behaviour.failRequests > 0) {
      behaviour.failRequests -= 1;
      return { kind: 'unavailable' };
    }
    const existing = this.byId.get(taskId);
    if (existing) return { kind: 'existing', task: existing };
    const rejection = this.rejectionFor(householdId, behaviour);
    if (rejection === 'at-request') return { kind: 'refused', reason: 'household not eligible in the ministry register' };
    const task: SimulatedTask = {
      taskId,
      agencyReference: `${this.agencyPrefix}-${randomUUID().slice(0, 8).toUpperCase()}`,
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
    const sofar = this.rejections.get(householdId) ?? 0;
    if (rule.times !== 0 && sofar >= rule.times) return undefined;
    this.rejections.set(householdId, sofar + 1);
    return rule.mode;
  }

  list(): SimulatedTask[] {
    return [...this.byId.values()].map((t) => ({ ...t, requests: this.requestCounts.get(t.taskId) ?? 0 }));
  }

  reset(): void {
    this.byId.clear();
    this.requestCounts.clear();
    this.rejections.clear();
  }
}

/** A stable number in [0, 1) per household. */
function shareOf(householdId: string): number {
  return createHash('sha256').update(householdId).digest().readUInt32BE(0) / 2 ** 32;
}
