import type { ProgramPlan } from '../program-plan';
import { graduationPlan, graduationPlanV1 } from './graduation';

/** The plans shipped with Sinergi, every version, oldest first. */
export const shippedPlans: readonly ProgramPlan[] = [graduationPlanV1, graduationPlan];

/** The newest version of a program shipped with Sinergi (0 if none): published versions come after it. */
export function shippedVersionOf(programId: string): number {
  return shippedPlans.reduce((max, plan) => (plan.programId === programId ? Math.max(max, plan.version) : max), 0);
}
