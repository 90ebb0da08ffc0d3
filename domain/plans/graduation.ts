import { ProgramPlanSchema, type ProgramPlan } from '../program-plan';
import { graduationCriteria } from './graduation-criteria';

/**
 * The poverty-graduation plan as first shipped (version 1): social aid first, then skills, then
 * capital, then follow-up visits whose last one reports the household's new welfare status.
 * Still shipped: rollouts pinned to it go on, and a plan without criteria is what most engine
 * tests run.
 */
export const graduationPlanV1: ProgramPlan = ProgramPlanSchema.parse({
  programId: 'graduation',
  version: 1,
  title: { id: 'Program Graduasi (bantuan sosial, pelatihan kerja, modal usaha mikro, pendampingan)', en: 'Poverty graduation (aid, training, micro-capital, follow-up)' },
  // The two poorest deciles, not yet graduated; a second micro-capital programme at once is not allowed.
  eligibility: { maxDecile: 2, welfareStatuses: ['extreme_poor', 'poor'] },
  overlapPolicy: 'exclude',
  steps: [
    {
      key: 'aid',
      agency: 'kemensos',
      kind: 'aid-disbursement',
      title: { id: 'Penyaluran bantuan sosial PKH', en: 'PKH cash aid disbursement' },
      sla: 'P14D',
      parameters: { programme: 'PKH', amount: 750_000 },
      onRejection: { action: 'stop' },
    },
    {
      key: 'training',
      agency: 'kemnaker',
      kind: 'job-training',
      title: { id: 'Pelatihan kerja di BLK', en: 'Vocational training at a BLK' },
      sla: 'P45D',
      parameters: { course: 'tailoring-basic' },
      onRejection: { action: 'retry', maxRetries: 2, then: 'skip' },
    },
    {
      key: 'capital',
      agency: 'kemenkop',
      kind: 'micro-capital',
      title: { id: 'Modal usaha mikro (UMi) untuk usaha keluarga', en: 'Micro-capital (UMi) for a household business' },
      sla: 'P30D',
      parameters: { scheme: 'UMi', amount: 5_000_000 },
      onRejection: { action: 'skip' },
    },
    ...[1, 2, 3].map((visit) => ({
      key: `follow-up-${visit}`,
      agency: 'pemda',
      kind: 'follow-up-visit',
      title: { id: `Kunjungan pendampingan ${visit} dari 3`, en: `Facilitator follow-up visit ${visit} of 3` },
      sla: 'P30D',
      parameters: { visit, of: 3 },
      onRejection: { action: 'skip' },
    })),
  ],
});

/**
 * The shipped poverty-graduation plan (version 2, the latest): the same steps, but the follow-up
 * visits report BRAC-style indicators and graduation is decided by criteria (readiness score,
 * mandatory criteria, one extension), with visits six and twelve months after graduation.
 */
export const graduationPlan: ProgramPlan = ProgramPlanSchema.parse({ ...graduationPlanV1, version: 2, graduation: graduationCriteria });
