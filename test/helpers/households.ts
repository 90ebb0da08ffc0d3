import { VillageCodeSchema, type Household } from '../../domain/household';
import { regionDigitsOfVillage } from '../../domain/nik';

import { randomInt } from 'node:crypto';

/**
 * Where this test process's households start in the 10-digit space of a KK number after its
 * region: at random, so that the test files (processes) sharing one Temporal server never meet
 * (the process id modulo 10,000 did: two files once drew the same KK, and one's household was
 * excluded for what the other had received).
 */
const first = randomInt(0, 9_990_000_000);
let serial = 0;

/**
 * A fresh, valid household per call (unique KK and head NIK), so every test uses its own ids.
 * The head is a woman born 5 July 1985 (day + 40) registered in the household's district, so the
 * NIK agrees with the region as a cohort import checks.
 */
export function makeHousehold(overrides: Partial<Household> = {}): Household {
  serial += 1;
  const unique = `${first + serial}`.padStart(10, '0');
  const region = overrides.region ?? '35.09.01.2001';
  // A test giving a bad region means to test that region alone: the NIK stays valid.
  const district = VillageCodeSchema.safeParse(region).success ? regionDigitsOfVillage(region) : '350901';
  return {
    familyCardNumber: `350901${unique}`,
    headNik: `${district}450785${String(((first + serial) % 9999) + 1).padStart(4, '0')}`,
    headName: 'Siti Aminah',
    region,
    decile: 1,
    welfareStatus: 'extreme_poor',
    ...overrides,
  };
}

export function uniqueRolloutId(label: string): string {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}
