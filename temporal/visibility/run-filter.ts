import { z } from 'zod';
import { AgencySchema } from '../../domain/agency';
import { FamilyCardNumberSchema, RegionPrefixSchema } from '../../domain/household';
import { ProgramIdSchema, RolloutIdSchema, StepKeySchema } from '../../domain/ids';
import { narrowScope, regionClause, type RegionScope } from '../../domain/region-scope';
import * as sa from '../../domain/search-attributes';
import type { HouseholdKeyOf } from '../../lib/household-pseudonym';
import { householdIdValues, quotedLists } from './household-ids';

const runOutcomes = ['completed', 'rejected', 'failed'] as const;
const temporalStatuses = { running: 'Running', terminated: 'Terminated', canceled: 'Canceled', timed_out: 'TimedOut' } as const;

export const RunFilterSchema = z.object({
  rollout: RolloutIdSchema.optional(),
  step: StepKeySchema.optional(),
  agency: AgencySchema.optional(),
  status: z.enum([...runOutcomes, ...(Object.keys(temporalStatuses) as (keyof typeof temporalStatuses)[])]).optional(),
  region: RegionPrefixSchema.optional(),
  stuck: z.enum(['true', 'false']).optional(),
  program: ProgramIdSchema.optional(),
  household: FamilyCardNumberSchema.optional().meta({ description: "a household's runs, by its family-card number (KK): Temporal knows it by its pseudonym, which this is translated to" }),
});
export type RunFilter = z.infer<typeof RunFilterSchema>;

/**
 * Builds the visibility query, its region filter intersected with the caller's scope; every value
 * was checked against a strict pattern, so quoting is safe.
 */
export function visibilityQuery(filter: RunFilter, scope: RegionScope, householdKeyOf: HouseholdKeyOf): string {
  const clauses = [`WorkflowType = 'householdRun'`];
  if (filter.rollout) clauses.push(`${sa.RolloutId.name} = '${filter.rollout}'`);
  if (filter.step) clauses.push(`${sa.CurrentStep.name} = '${filter.step}'`);
  if (filter.agency) clauses.push(`${sa.CurrentAgency.name} = '${filter.agency}'`);
  if (filter.program) clauses.push(`${sa.ProgramId.name} = '${filter.program}'`);
  if (filter.household) clauses.push(`${sa.HouseholdId.name} IN (${quotedLists(householdIdValues([filter.household], householdKeyOf).keys())[0]})`);
  const region = regionClause(narrowScope(scope, filter.region));
  if (region) clauses.push(region);
  if (filter.stuck) clauses.push(`${sa.Stuck.name} = ${filter.stuck}`);
  if (filter.status && filter.status in temporalStatuses) {
    clauses.push(`ExecutionStatus = '${temporalStatuses[filter.status as keyof typeof temporalStatuses]}'`);
  } else if (filter.status) {
    clauses.push(`${sa.RunOutcome.name} = '${filter.status}'`);
  }
  return clauses.join(' AND ');
}
