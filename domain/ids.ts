import { z } from 'zod';
import { FamilyCardNumberSchema } from './household';

/** Step keys and program ids: a lowercase slug, as visibility queries quote them safely. */
export const slugPattern = '[a-z][a-z0-9-]{0,39}';
const slug = (what: string) => z.string().regex(new RegExp(`^${slugPattern}$`), `must be ${what}: a lowercase letter, then up to 39 lowercase letters, digits or dashes`);
export const StepKeySchema = slug('a step key');
export const ProgramIdSchema = slug('a program id');
/** A graduation criterion's key (also the indicator a follow-up visit reports under it). */
export const CriterionKeySchema = slug('a criterion key');

/** An Idempotency-Key header or a webhook id: it becomes part of a Temporal id or update id. */
const keyPattern = '[A-Za-z0-9_.:-]{1,200}';
export const IdempotencyKeySchema = z.string().regex(new RegExp(`^${keyPattern}$`), 'must be 1-200 letters, digits or _.:-');
export const BulkOperationIdSchema = z.string().regex(new RegExp(`^bulk:${keyPattern}$`), 'must be a bulk operation id like bulk:<key>');

export const RolloutIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be 1-63 lowercase letters, digits and dashes');

/**
 * What Temporal knows a household by: a keyed pseudonym of its KK, 24 lowercase hex characters
 * (lib/household-pseudonym.ts), so no workflow id or search attribute holds the KK.
 */
const householdKeyPattern = '[0-9a-f]{24}';
export const HouseholdKeySchema = z
  .string()
  .regex(new RegExp(`^${householdKeyPattern}$`), 'must be a household key: 24 lowercase hex characters')
  .meta({ description: "the household's pseudonym in Temporal: a keyed HMAC of its family-card number (KK), never the KK itself" });

/**
 * A run's workflow id is derived from rollout and household (its pseudonym), so the same
 * household cannot be started twice in one rollout; a task id from run, step and attempt, so an
 * agency can deduplicate a task request however often it is retried.
 */
export function runIdOf(rolloutId: string, householdKey: string): string {
  return `run:${rolloutId}:${householdKey}`;
}

/**
 * The per-program, per-household lock: one workflow id, so Temporal itself lets only one run of
 * a program hold a household at a time, however many rollouts start at once.
 */
export function enrolmentIdOf(programId: string, householdKey: string): string {
  return `enrolment:${programId}:${householdKey}`;
}

export function taskIdOf(runId: string, stepKey: string, attempt: number): string {
  return `${runId}:${stepKey}:${attempt}`;
}

const rolloutPattern = '[a-z0-9][a-z0-9-]{0,62}';
// Runs started before households were pseudonymised keep the KK in their ids, and stay reachable.
const runIdBody = `run:${rolloutPattern}:(?:${householdKeyPattern}|\\d{16})`;
const runIdPattern = new RegExp(`^${runIdBody}$`);
const taskIdPattern = new RegExp(`^(${runIdBody}):(${slugPattern}):([1-9]\\d{0,3})$`);

export const RunIdSchema = z.string().regex(runIdPattern, 'must be a run id like run:<rollout>:<household key>, or run:<rollout>:<16-digit KK>');
export const TaskIdSchema = z.string().regex(taskIdPattern, 'must be a task id like run:<rollout>:<household key>:<step>:<attempt>');

/** A run id naming its household by KK: a run started before pseudonyms, or a person looking one up by KK. */
const kkRunId = `run:(${rolloutPattern}):(\\d{16})`;
export function kkOfRunId(runId: string): { rolloutId: string; familyCardNumber: string } | undefined {
  const m = new RegExp(`^${kkRunId}$`).exec(runId);
  return m ? { rolloutId: m[1]!, familyCardNumber: m[2]! } : undefined;
}

/**
 * A text (a screening detail) with every run id naming its household by KK named by its
 * pseudonym instead: for what is kept in Temporal (a memo), where no KK may be.
 */
export function pseudonymousRunIds(text: string, householdKeyOf: (familyCardNumber: string) => string): string {
  return text.replace(new RegExp(`\\b${kkRunId}\\b`, 'g'), (_id, rolloutId: string, kk: string) => runIdOf(rolloutId, householdKeyOf(kk)));
}

export function parseTaskId(taskId: string): { runId: string; stepKey: string; attempt: number } | undefined {
  const m = taskIdPattern.exec(taskId);
  return m ? { runId: m[1]!, stepKey: m[2]!, attempt: Number(m[3]) } : undefined;
}

export { FamilyCardNumberSchema as HouseholdIdSchema };
