import { z } from 'zod';
import type { PlanStep, ProgramPlan } from './program-plan';

/**
 * The visits a graduation adds to a run beyond its plan: an extension's visits, and the visits
 * after graduation. Each is the plan's last follow-up visit again under a key that says which
 * it is, so anything that looks a step up by key (the task request an agency reads back, a
 * progress report) finds it without the run keeping a copy.
 */
export const VisitPhaseSchema = z.enum(['planned', 'extension', 'after-graduation']);
export type VisitPhase = z.infer<typeof VisitPhaseSchema>;

const extensionKey = /^extension-([1-9])-visit-([1-9])$/;
const afterGraduationKey = /^after-graduation-([1-9])$/;
/** The keys of the visits a graduation adds, as one pattern (unanchored): a plan's own steps keep off them. */
export const addedVisitKeys = [extensionKey, afterGraduationKey].map((key) => key.source.slice(1, -1)).join('|');

export const extensionStepKey = (extension: number, visit: number) => `extension-${extension}-visit-${visit}`;
export const afterGraduationStepKey = (visit: number) => `after-graduation-${visit}`;

export function visitPhaseOf(stepKey: string): VisitPhase {
  if (extensionKey.test(stepKey)) return 'extension';
  if (afterGraduationKey.test(stepKey)) return 'after-graduation';
  return 'planned';
}

/** The plan's last follow-up visit: what every added visit repeats (agency, SLA, rules). */
export function lastVisitStep(plan: ProgramPlan): PlanStep | undefined {
  return [...plan.steps].reverse().find((s) => s.kind === 'follow-up-visit');
}

/** A step added by the graduation, from its key; undefined for a key that is not one. */
export function addedVisitStep(plan: ProgramPlan, key: string): PlanStep | undefined {
  const base = lastVisitStep(plan);
  const graduation = plan.graduation;
  if (!base || !graduation) return undefined;
  const extension = extensionKey.exec(key);
  if (extension) {
    const [n, visit] = [Number(extension[1]), Number(extension[2])];
    const of = graduation.extensions.visits;
    if (n > graduation.extensions.max || visit > of) return undefined;
    return {
      ...base,
      key,
      title: { id: `Kunjungan perpanjangan ${n}: ${visit} dari ${of}`, en: `Extension ${n} follow-up visit ${visit} of ${of}` },
      parameters: { ...base.parameters, visit, of },
    };
  }
  const after = afterGraduationKey.exec(key);
  if (after) {
    const visit = Number(after[1]);
    const of = graduation.afterGraduation.length;
    if (visit > of) return undefined;
    return {
      ...base,
      key,
      title: { id: `Kunjungan pasca-graduasi ${visit} dari ${of}`, en: `After-graduation visit ${visit} of ${of}` },
      parameters: { ...base.parameters, visit, of },
    };
  }
  return undefined;
}

/** A step of the run by its key: the plan's own, or one its graduation added. */
export function runStepOf(plan: ProgramPlan, key: string): PlanStep | undefined {
  return plan.steps.find((s) => s.key === key) ?? addedVisitStep(plan, key);
}
