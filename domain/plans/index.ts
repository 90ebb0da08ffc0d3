import type { ProgramPlan } from '../program-plan';
import { graduationPlan } from './graduation';

/** The plans shipped with Sinergi, by program id. */
export const shippedPlans: ReadonlyMap<string, ProgramPlan> = new Map([[graduationPlan.programId, graduationPlan]]);
