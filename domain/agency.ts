import { z } from 'zod';
import { agencyDefinitions } from '../agencies';
import type { AgencyDefinition, StepContract } from '../agencies/agency-definition';
import type { StepKind } from './step-kind';

type AgencyName = (typeof agencyDefinitions)[number]['name'];

export const AgencySchema = z.enum(agencyDefinitions.map((d) => d.name) as [AgencyName, ...AgencyName[]]);
export type Agency = z.infer<typeof AgencySchema>;
export const agencies = AgencySchema.options;

/** One value per agency of the registry, e.g. each agency's port or adapter. */
export const byAgency = <T>(pick: (definition: AgencyDefinition, agency: Agency) => T): Record<Agency, T> =>
  Object.fromEntries(agencyDefinitions.map((d) => [d.name, pick(d, d.name)])) as Record<Agency, T>;

export const agencyDefinitionOf = byAgency((d) => d);

/** Which step kinds each agency can carry out; a plan may only give an agency these. */
export const agencyStepKinds = byAgency((d): readonly StepKind[] => Object.keys(d.steps) as StepKind[]);

/** The agency's contract for a step kind, if it does that kind. */
export const stepContractOf = (agency: Agency, kind: StepKind): StepContract | undefined => agencyDefinitionOf[agency].steps[kind];

export function agencyCanDo(agency: Agency, kind: StepKind): boolean {
  return stepContractOf(agency, kind) !== undefined;
}
