/** Indonesia's three time zones, each with the label people read after a time. */
export const zones = {
  WIB: 'Asia/Jakarta',
  WITA: 'Asia/Makassar',
  WIT: 'Asia/Jayapura',
} as const;
export type ZoneLabel = keyof typeof zones;
/** Each zone's fixed offset from UTC (Indonesia keeps no daylight saving time), for calendar arithmetic in workflow code. */
export const zoneOffsetMinutes: Record<ZoneLabel, number> = { WIB: 7 * 60, WITA: 8 * 60, WIT: 9 * 60 };
export interface RegionZone {
  label: ZoneLabel;
  timeZone: (typeof zones)[ZoneLabel];
}

const provincesByZone: Record<ZoneLabel, readonly number[]> = {
  WIB: [11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 61, 62],
  WITA: [51, 52, 53, 63, 64, 65, 71, 72, 73, 74, 75, 76],
  WIT: [81, 82, 91, 92, 93, 94, 95, 96],
};
const zoneOfProvince = new Map<number, ZoneLabel>(Object.entries(provincesByZone).flatMap(([label, codes]) => codes.map((code) => [code, label as ZoneLabel])));

/** The zone of a Kemendagri region code (any level: `35`, `35.09`, `91.01.02.2001`) by its province; undefined for an unknown province. */
export function zoneOfRegion(region: string | undefined): RegionZone | undefined {
  const match = /^(\d{2})(?:\.|\d|$)/.exec(region ?? '');
  const label = match ? zoneOfProvince.get(Number(match[1])) : undefined;
  return label && { label, timeZone: zones[label] };
}
