import { VillageCodeSchema, type Household } from '../../domain/household';
import { regionDigitsOfVillage } from '../../domain/nik';

let serial = 0;

/**
 * A fresh, valid household per call (unique KK and head NIK), so every test uses its own ids.
 * The head is a woman born 5 July 1985 (day + 40) registered in the household's district, so the
 * NIK agrees with the region as a cohort import checks.
 */
export function makeHousehold(overrides: Partial<Household> = {}): Household {
  serial += 1;
  const unique = `${process.pid % 10_000}`.padStart(4, '0') + `${serial}`.padStart(6, '0');
  const region = overrides.region ?? '35.09.01.2001';
  // A test giving a bad region means to test that region alone: the NIK stays valid.
  const district = VillageCodeSchema.safeParse(region).success ? regionDigitsOfVillage(region) : '350901';
  return {
    familyCardNumber: `350901${unique}`,
    headNik: `${district}450785${String(((process.pid * 7 + serial) % 9999) + 1).padStart(4, '0')}`,
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
