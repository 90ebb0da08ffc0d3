import type { Household } from '../domain/household';

const regencies = ['35.09', '35.07', '35.10', '33.01', '33.02', '32.04'];
const names = ['Siti Aminah', 'Budi Santoso', 'Sri Wahyuni', 'Agus Salim', 'Dewi Lestari', 'Joko Susilo', 'Nur Hidayah', 'Rahmat Hidayat'];

/**
 * The n-th household of a synthetic registry extract: valid, unique KK and NIK, the NIK's region
 * and birth-date parts consistent with its columns. For demos, load tests and the benchmark.
 */
export function syntheticHousehold(n: number, prefix = 9): Household {
  const regency = regencies[n % regencies.length]!;
  const district = String((Math.floor(n / regencies.length) % 20) + 1).padStart(2, '0');
  const region = `${regency}.${district}.${String(2001 + (n % 12))}`;
  const woman = n % 2 === 0;
  const day = (n % 28) + 1 + (woman ? 40 : 0);
  const month = (n % 12) + 1;
  const year = 60 + (n % 40);
  const nik = `${region.replaceAll('.', '').slice(0, 6)}${String(day).padStart(2, '0')}${String(month).padStart(2, '0')}${year}${String((n % 9999) + 1).padStart(4, '0')}`;
  return {
    familyCardNumber: `${prefix}${String(n).padStart(15, '0')}`,
    headNik: nik,
    headName: names[n % names.length]!,
    region,
    decile: 1 + (n % 2),
    welfareStatus: n % 3 === 0 ? 'poor' : 'extreme_poor',
  };
}

export const cohortCsvHeader = 'family_card_number,head_nik,head_name,region_code,decile,welfare_status,phone,email';

/** One CSV line of a household, quoted where a field needs it. */
export function cohortCsvLine(h: Household): string {
  const quote = (v: string) => (/[",;\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return [h.familyCardNumber, h.headNik, h.headName, h.region, String(h.decile), h.welfareStatus, h.phone ?? '', h.email ?? ''].map(quote).join(',');
}

/** A synthetic cohort as CSV text, streamed line by line (100,000 rows never held at once). */
export function* syntheticCohortCsv(count: number, prefix = 9, from = 0): Generator<string> {
  yield `${cohortCsvHeader}\r\n`;
  for (let n = from; n < from + count; n++) yield `${cohortCsvLine(syntheticHousehold(n, prefix))}\r\n`;
}
