import { describe, expect, it } from 'vitest';
import { HouseholdSchema, NikSchema } from '../../domain/household';
import { parseTaskId, runIdOf, taskIdOf } from '../../domain/ids';

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

  it('derives run and task ids that parse back', () => {
    const runId = runIdOf('malang-2026', '3509010101010001');
    const taskId = taskIdOf(runId, 'follow-up-2', 3);
    expect(taskId).toBe('run:malang-2026:3509010101010001:follow-up-2:3');
    expect(parseTaskId(taskId)).toEqual({ runId, stepKey: 'follow-up-2', attempt: 3 });
    expect(parseTaskId('run:malang-2026:3509010101010001:aid:0')).toBeUndefined();
    expect(parseTaskId('something-else')).toBeUndefined();
  });
});
