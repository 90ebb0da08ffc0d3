import { developmentHouseholdKey } from '../../config/config';
import type { Household } from '../../domain/household';
import { enrolmentIdOf, runIdOf } from '../../domain/ids';
import { householdPseudonym } from '../../lib/household-pseudonym';
import type { ProgramPlan } from '../../domain/program-plan';
import type { RunState } from '../../domain/run-state';
import { eventually } from '../../dev/http';
import type { Stack } from '../../dev/stack';

/** A household's pseudonym as the test stack computes it (the development key, as npm start's). */
export const householdKeyOf = householdPseudonym(developmentHouseholdKey);

/** The id Temporal knows a household's run of a rollout by: named by the household's pseudonym, never its KK. */
export const runIdFor = (rolloutId: string, household: Pick<Household, 'familyCardNumber'>) => runIdOf(rolloutId, householdKeyOf(household.familyCardNumber));

/** The id of a household's enrolment lock in a program, likewise. */
export const enrolmentIdFor = (programId: string, household: Pick<Household, 'familyCardNumber'>) => enrolmentIdOf(programId, householdKeyOf(household.familyCardNumber));

/** A visibility clause for a household's runs, by its pseudonym as the HouseholdId search attribute holds it. */
export const householdIs = (household: Pick<Household, 'familyCardNumber'>) => `HouseholdId = '${householdKeyOf(household.familyCardNumber)}'`;

/**
 * Starts one household's run of the given plan, or of the shipped plan's first version (no
 * graduation criteria: the run ends at its last visit), which is what most engine tests need.
 */
export async function startRun(stack: Stack, rolloutId: string, household: Household, plan?: ProgramPlan): Promise<string> {
  const res = await stack.call('POST', '/v1/runs', { rolloutId, household, ...(plan ? { plan } : { programId: 'graduation', version: 1 }) });
  if (res.status !== 201) throw new Error(`start failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.runId as string;
}

export async function getRun(stack: Stack, runId: string): Promise<{ state: RunState; temporal: { status: string } }> {
  const res = await stack.call('GET', `/v1/runs/${encodeURIComponent(runId)}`, undefined, 'viewer');
  if (res.status !== 200) throw new Error(`get failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Waits until the run's state satisfies the predicate and returns that state. */
export function waitForState(stack: Stack, runId: string, predicate: (s: RunState) => boolean, timeoutMs = 60_000): Promise<RunState> {
  return eventually(
    async () => {
      const { state } = await getRun(stack, runId);
      return predicate(state) ? state : undefined;
    },
    timeoutMs,
    `run ${runId}`,
  );
}

export const ended = (s: RunState) => s.status !== 'running';
export const stepIs = (key: string, status: string) => (s: RunState) => s.steps.find((st) => st.key === key)?.status === status;

export { shortPlan } from '../../dev/short-plan';
