import { z } from 'zod';
import { FamilyCardNumberSchema } from './household';

export const RolloutIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be 1-63 lowercase letters, digits and dashes');

/**
 * A run's workflow id is derived from rollout and household, so the same household
 * cannot be started twice in one rollout; a task id from run, step and attempt, so an
 * agency can deduplicate a task request however often it is retried.
 */
export function runIdOf(rolloutId: string, householdId: string): string {
  return `run:${rolloutId}:${householdId}`;
}

export function taskIdOf(runId: string, stepKey: string, attempt: number): string {
  return `${runId}:${stepKey}:${attempt}`;
}

const runIdPattern = /^run:([a-z0-9][a-z0-9-]{0,62}):(\d{16})$/;
const taskIdPattern = /^(run:[a-z0-9][a-z0-9-]{0,62}:\d{16}):([a-z][a-z0-9-]{0,39}):([1-9]\d{0,3})$/;

export const RunIdSchema = z.string().regex(runIdPattern, 'must be a run id like run:<rollout>:<16-digit KK>');
export const TaskIdSchema = z.string().regex(taskIdPattern, 'must be a task id like run:<rollout>:<KK>:<step>:<attempt>');

export function parseTaskId(taskId: string): { runId: string; stepKey: string; attempt: number } | undefined {
  const m = taskIdPattern.exec(taskId);
  return m ? { runId: m[1]!, stepKey: m[2]!, attempt: Number(m[3]) } : undefined;
}

export { FamilyCardNumberSchema as HouseholdIdSchema };
