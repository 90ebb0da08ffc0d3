import { zoneOfRegion, zones, type RegionZone } from './region-zone';

export type DisplayLanguage = 'id' | 'en';

const locales: Record<DisplayLanguage, string> = { id: 'id-ID', en: 'en-GB' };
// A region we cannot place is shown in the capital's zone, labelled so nobody mistakes it.
const fallbackZone: RegionZone = { label: 'WIB', timeZone: zones.WIB };
const zoneOf = (region: string | undefined) => zoneOfRegion(region) ?? fallbackZone;

/**
 * A moment as people in the household's region read it: `23 November 2026, 14.30 WIB`
 * (English `23 November 2026, 14:30 WIB`), in the zone of the region's province.
 */
export function formatDateTime(at: string | Date, language: DisplayLanguage, region?: string): string {
  const zone = zoneOf(region);
  const parts = new Intl.DateTimeFormat(locales[language], {
    timeZone: zone.timeZone,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(at));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const clock = language === 'id' ? '.' : ':';
  return `${part('day')} ${part('month')} ${part('year')}, ${part('hour')}${clock}${part('minute')} ${zone.label}`;
}

/** The calendar day of a moment in the region's zone as `2026-11-23`, for text that must sort (e-mail subjects). */
export function formatSortableDate(at: string | Date, region?: string): string {
  // en-CA writes dates year-month-day with dashes.
  return new Intl.DateTimeFormat('en-CA', { timeZone: zoneOf(region).timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(at));
}

const rupiah = new Intl.NumberFormat('id-ID', { style: 'currency', currency: 'IDR', maximumFractionDigits: 0 });

/** An amount as `Rp 750.000` (a non-breaking space after Rp, so it never wraps apart). */
export function formatRupiah(amount: number): string {
  return rupiah.format(amount);
}
