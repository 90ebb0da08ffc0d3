import { describe, expect, it } from 'vitest';
import { HouseholdSchema, NikSchema } from '../../domain/household';
import { householdPseudonym } from '../../lib/household-pseudonym';
import { kkOfRunId, parseTaskId, pseudonymousRunIds, RunIdSchema, runIdOf, taskIdOf, TaskIdSchema } from '../../domain/ids';

describe('household identity', () => {
  it('accepts NIKs of men and of women (birth day + 40) and refuses impossible dates and serials', () => {
    expect(NikSchema.safeParse('3509011507850003').success).toBe(true);
    expect(NikSchema.safeParse('3509015507850003').success).toBe(true);
    expect(NikSchema.safeParse('3509013207850003').success).toBe(false); // day 32
    expect(NikSchema.safeParse('3509011513850003').success).toBe(false); // month 13
    expect(NikSchema.safeParse('3509011507850000').success).toBe(false); // serial 0000
    expect(NikSchema.safeParse('35090115078500').success).toBe(false);
  });

  it('names each bad household field', () => {
    const parsed = HouseholdSchema.safeParse({ familyCardNumber: '123', headNik: '3509011507850003', headName: '', region: '35.09', decile: 0, welfareStatus: 'rich' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['decile', 'familyCardNumber', 'headName', 'region', 'welfareStatus']);
  });

  it('derives run and task ids from the household key that parse back', () => {
    const householdKey = '0123456789abcdef01234567';
    const runId = runIdOf('malang-2026', householdKey);
    const taskId = taskIdOf(runId, 'follow-up-2', 3);
    expect(taskId).toBe('run:malang-2026:0123456789abcdef01234567:follow-up-2:3');
    expect(parseTaskId(taskId)).toEqual({ runId, stepKey: 'follow-up-2', attempt: 3 });
    expect(RunIdSchema.safeParse(runId).success).toBe(true);
    expect(TaskIdSchema.safeParse(taskId).success).toBe(true);
    expect(kkOfRunId(runId)).toBeUndefined();
    expect(parseTaskId(`${runId}:aid:0`)).toBeUndefined();
    expect(parseTaskId('something-else')).toBeUndefined();
  });

  it('still takes the ids of runs started before pseudonyms, naming the household by KK, and nothing between', () => {
    const legacy = 'run:malang-2026:3509010101010001';
    expect(parseTaskId(`${legacy}:aid:2`)).toEqual({ runId: legacy, stepKey: 'aid', attempt: 2 });
    expect(kkOfRunId(legacy)).toEqual({ rolloutId: 'malang-2026', familyCardNumber: '3509010101010001' });
    for (const bad of ['run:malang-2026:35090101010100011', 'run:malang-2026:0123456789ABCDEF01234567', 'run:malang-2026:0123456789abcdef0123456', 'run:malang-2026:350901010101000']) {
      expect(RunIdSchema.safeParse(bad).success, bad).toBe(false);
      expect(TaskIdSchema.safeParse(`${bad}:aid:1`).success, bad).toBe(false);
    }
  });

  it('names a run by pseudonym in a text kept in Temporal, wherever it names one by KK', () => {
    const keyOf = householdPseudonym(Buffer.alloc(32, 7));
    const detail = 'active run run:malang-2026:3509010101010001 of umi shares micro-capital; and run:blitar:0123456789abcdef01234567';
    expect(pseudonymousRunIds(detail, keyOf)).toBe(`active run run:malang-2026:${keyOf('3509010101010001')} of umi shares micro-capital; and run:blitar:0123456789abcdef01234567`);
    expect(pseudonymousRunIds(detail, keyOf)).not.toContain('3509010101010001');
  });
});
