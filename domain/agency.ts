import { z } from 'zod';

export const AgencySchema = z.enum(['kemensos', 'kemnaker', 'kemenkop', 'pemda']);
export type Agency = z.infer<typeof AgencySchema>;
export const agencies = AgencySchema.options;

export const StepKindSchema = z.enum(['aid-disbursement', 'job-training', 'micro-capital', 'follow-up-visit']);
export type StepKind = z.infer<typeof StepKindSchema>;

/** Which step kinds each agency's adapter can carry out; a plan may only give an agency these. */
export const agencyStepKinds: Record<Agency, readonly StepKind[]> = {
  kemensos: ['aid-disbursement'],
  kemnaker: ['job-training'],
  kemenkop: ['micro-capital'],
  // The regency's own training centres (UPTD BLK) can train too: where a reassigned training goes.
  pemda: ['follow-up-visit', 'job-training'],
};

export function agencyCanDo(agency: Agency, kind: StepKind): boolean {
  return agencyStepKinds[agency].includes(kind);
}
