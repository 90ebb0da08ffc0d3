import { describe, expect, it } from 'vitest';
import { NikSchema } from '../../domain/household';
import { nikPattern, nikProblem } from '../../domain/nik';

const pad = (n: number) => String(n).padStart(2, '0');

describe('the NIK pattern the API document carries', () => {
  it('takes exactly the NIKs nikProblem takes, for every birth day, month and year', () => {
    const disagreements: string[] = [];
    for (let day = 0; day < 100; day++) {
      for (let month = 0; month < 100; month++) {
        for (let yy = 0; yy < 100; yy++) {
          for (const serial of ['0000', '0001']) {
            const nik = `350701${pad(day)}${pad(month)}${pad(yy)}${serial}`;
            if (nikPattern.test(nik) !== (nikProblem(nik) === undefined)) disagreements.push(nik);
          }
        }
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('refuses what is not 16 digits with the message that says so, as the schema checks the pattern', () => {
    for (const nik of ['0', '', '350701010190000', '35070101019000011', '3507010101900a01', '３５０７０１０１０１９０００１']) {
      expect(nikPattern.test(nik)).toBe(false);
      expect(NikSchema.safeParse(nik).error?.issues.map((i) => i.message)).toEqual(['must be a 16-digit NIK']);
    }
    // 29 February exists in 2000 and 1904...: yy a multiple of 4; 1900 alone was no leap year, 2000 was.
    expect(NikSchema.safeParse('3507012902000001').success).toBe(true);
    expect(NikSchema.safeParse('3507016902040001').success).toBe(true);
    expect(NikSchema.safeParse('3507012902010001').error?.issues[0]?.message).toBe('must have a birth date that exists (DDMMYY, day + 40 for women)');
  });
});
