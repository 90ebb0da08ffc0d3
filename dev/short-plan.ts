import type { ProgramPlan } from '../domain/program-plan';

/** A plan with short SLAs for tests: same shape as graduation, seconds instead of days. */
export function shortPlan(base: ProgramPlan, overrides: Partial<Record<string, Partial<ProgramPlan['steps'][number]>>> = {}): ProgramPlan {
  return {
    ...base,
    steps: base.steps.map((s) => ({ ...s, sla: 'PT30S', ...overrides[s.key] })),
  };
}
