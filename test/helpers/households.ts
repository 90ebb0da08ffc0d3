import type { Household } from '../../domain/household';

let serial = 0;

/** A fresh, valid household per call (unique KK), so every test uses its own ids. */
export function makeHousehold(overrides: Partial<Household> = {}): Household {
  serial += 1;
  const unique = `${process.pid % 10_000}`.padStart(4, '0') + `${serial}`.padStart(6, '0');
  return {
    familyCardNumber: `350901${unique}`,
    headNik: '3509014507850003',
    headName: 'Siti Aminah',
    region: '35.09.01.2001',
    decile: 1,
    welfareStatus: 'extreme_poor',
    ...overrides,
  };
}

export function uniqueRolloutId(label: string): string {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}
