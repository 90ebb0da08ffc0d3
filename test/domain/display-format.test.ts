import { describe, expect, it } from 'vitest';
import { formatDateTime, formatRupiah } from '../../domain/display-format';
import { zoneOfRegion } from '../../domain/region-zone';

describe('zoneOfRegion', () => {
  it.each([
    ['11', 'WIB', 'Asia/Jakarta'],
    ['35.09.01.2001', 'WIB', 'Asia/Jakarta'],
    ['3509012001', 'WIB', 'Asia/Jakarta'],
    ['62.01', 'WIB', 'Asia/Jakarta'],
    ['51.71', 'WITA', 'Asia/Makassar'],
    ['76.01.01.2001', 'WITA', 'Asia/Makassar'],
    ['81.01', 'WIT', 'Asia/Jayapura'],
    ['91.01.02.2001', 'WIT', 'Asia/Jayapura'],
    ['96', 'WIT', 'Asia/Jayapura'],
  ])('places %s in %s', (region, label, timeZone) => {
    expect(zoneOfRegion(region)).toEqual({ label, timeZone });
  });

  it.each(['20', '37', '99', '3', '', 'ab.01', undefined])('places no unknown province (%s)', (region) => {
    expect(zoneOfRegion(region)).toBeUndefined();
  });
});

describe('formatDateTime', () => {
  const at = '2026-11-23T07:30:00Z';
  it('writes Indonesian dates with a dot in the time and the region’s own zone', () => {
    expect(formatDateTime(at, 'id', '35.09.01.2001')).toBe('23 November 2026, 14.30 WIB');
    expect(formatDateTime(at, 'id', '51.71.01.2001')).toBe('23 November 2026, 15.30 WITA');
    expect(formatDateTime(at, 'id', '91.01.02.2001')).toBe('23 November 2026, 16.30 WIT');
  });

  it('uses Indonesian month names and rolls the date over in the east', () => {
    expect(formatDateTime('2026-08-31T16:00:00Z', 'id', '91.01')).toBe('1 September 2026, 01.00 WIT');
    expect(formatDateTime('2026-02-03T01:05:00Z', 'id', '35')).toBe('3 Februari 2026, 08.05 WIB');
  });

  it('writes English with a colon and the same zone label', () => {
    expect(formatDateTime(at, 'en', '51.71')).toBe('23 November 2026, 15:30 WITA');
    expect(formatDateTime('2026-02-03T01:05:00Z', 'en', '35')).toBe('3 February 2026, 08:05 WIB');
  });

  it('falls back to WIB for a region it cannot place', () => {
    expect(formatDateTime(at, 'id')).toBe('23 November 2026, 14.30 WIB');
    expect(formatDateTime(at, 'id', '99.01')).toBe('23 November 2026, 14.30 WIB');
  });
});

describe('formatRupiah', () => {
  it('writes whole rupiah with dots for thousands', () => {
    expect(formatRupiah(750000)).toBe('Rp\u00a0750.000');
    expect(formatRupiah(1250000.4)).toBe('Rp\u00a01.250.000');
    expect(formatRupiah(0)).toBe('Rp\u00a00');
  });
});
