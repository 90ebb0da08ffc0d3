import { z } from 'zod';

const DAY_MS = 86_400_000;
const weekdayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** A calendar date as written in the decree, `2026-03-21`; checked to exist (no 30 February). */
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((date) => new Date(`${date}T00:00:00Z`).toISOString().startsWith(date), 'is not a calendar date');

/** One day off as the decree names it. */
export const DecreedDaySchema = z.strictObject({
  date: IsoDateSchema,
  nameId: z.string().trim().min(1),
  nameEn: z.string().trim().min(1),
});
export type DecreedDay = z.infer<typeof DecreedDaySchema>;

/** The yearly joint decree (SKB) of the three ministers, each with its own number. */
export const DecreeSchema = z.strictObject({
  title: z.string().trim().min(1),
  numbers: z.strictObject({
    menteriAgama: z.string().trim().min(1),
    menteriKetenagakerjaan: z.string().trim().min(1),
    menteriPanrb: z.string().trim().min(1),
  }),
  signed: IsoDateSchema,
  /** Where the dates were checked: the reviewer's trail, not read by code. */
  sources: z.array(z.url()).min(1),
});

const listNames = ['nationalHolidays', 'cutiBersama'] as const;
type ListName = (typeof listNames)[number];

const DecreedYearSchema = z
  .strictObject({
    year: z.number().int().min(2000).max(2100),
    status: z.literal('decreed'),
    decree: DecreeSchema,
    reviewed: IsoDateSchema,
    nationalHolidays: z.array(DecreedDaySchema).min(1),
    cutiBersama: z.array(DecreedDaySchema),
  })
  .superRefine((file, ctx) => {
    const firstIndex = new Map<string, { list: ListName; index: number }>();
    for (const list of listNames) {
      file[list].forEach(({ date }, index) => {
        const path = [list, index, 'date'];
        if (!date.startsWith(`${file.year}-`)) ctx.addIssue({ code: 'custom', path, message: `${date} is not in ${file.year}` });
        const first = firstIndex.get(date);
        if (!first) firstIndex.set(date, { list, index });
        else if (first.list === list)
          ctx.addIssue({ code: 'custom', path, message: `${date} is listed twice (also ${first.list}[${first.index}]); when two days off fall on one date, list one entry naming both` });
        else ctx.addIssue({ code: 'custom', path, message: `${date} is already a national holiday (nationalHolidays[${first.index}]); cuti bersama is only decreed on working days` });
      });
    }
  });

const AwaitingDecreeYearSchema = z.strictObject({
  year: z.number().int().min(2000).max(2100),
  status: z.literal('awaiting-decree'),
  /** Why the year has no dates yet, and what to do once the decree is out. */
  note: z.string().trim().min(1),
  reviewed: IsoDateSchema,
});

/** One year's file under config/holidays/: the decreed days off, or a marker that the decree is not out yet. */
export const HolidayYearFileSchema = z.discriminatedUnion('status', [DecreedYearSchema, AwaitingDecreeYearSchema]);
export type HolidayYearFile = z.infer<typeof HolidayYearFileSchema>;
export type DecreedYearFile = z.infer<typeof DecreedYearSchema>;

export type DayOffKind = 'national-holiday' | 'cuti-bersama';
export interface DayOff extends DecreedDay {
  kind: DayOffKind;
}
/** Where a year's days off come from: the decree, or a library's estimate until the decree is out. */
export type YearBasis = 'decreed' | 'provisional';
/** What counting a deadline needs of a day off: its date and kind. A run pins only these; the names are for people. */
export type CountedDayOff = Pick<DayOff, 'date' | 'kind'>;
export interface CalendarYear<Day extends CountedDayOff = DayOff> {
  year: number;
  basis: YearBasis;
  daysOff: readonly Day[];
}
/** The days off a deadline is counted against; plain data, handed in by the caller and never imported globally. */
export type HolidayCalendar = readonly CalendarYear<CountedDayOff>[];

/** Parses one year's file; a bad file is refused with every problem named by its field (`cutiBersama[2].date: …`). */
export function parseHolidayYearFile(json: unknown, source: string): { file: HolidayYearFile; notes: string[] } {
  const parsed = HolidayYearFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${fieldName(i.path) || '(file)'}: ${i.message}`);
    throw new Error(`invalid holiday file ${source}:\n${problems.join('\n')}`);
  }
  return { file: parsed.data, notes: parsed.data.status === 'decreed' ? weekendNotes(parsed.data) : [] };
}

/** Holidays on a weekend are decreed all the same (Idul Fitri 2026 is a Saturday); they are noted so a reviewer sees them. */
function weekendNotes(file: DecreedYearFile): string[] {
  return listNames.flatMap((list) =>
    file[list].flatMap(({ date, nameId }, index) => {
      const weekday = weekdayNames[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
      return weekday === 'Saturday' || weekday === 'Sunday' ? [`${list}[${index}] ${date} (${nameId}) falls on a ${weekday}`] : [];
    }),
  );
}

function fieldName(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

export function decreedCalendarYear(file: DecreedYearFile): CalendarYear {
  const daysOff = [
    ...file.nationalHolidays.map((d) => ({ ...d, kind: 'national-holiday' as const })),
    ...file.cutiBersama.map((d) => ({ ...d, kind: 'cuti-bersama' as const })),
  ].sort((a, b) => a.date.localeCompare(b.date));
  return { year: file.year, basis: 'decreed', daysOff };
}

/** How a year is counted: by its decree, by a provisional estimate, or, with neither, by weekends alone. */
export type YearCounting = YearBasis | 'weekends-only';

export interface CalendarLookup {
  dayOff(date: string): CountedDayOff | undefined;
  counting(year: number): YearCounting;
}

/** An index over a calendar for day-by-day counting; where a year appears twice, its decree wins over an estimate. */
export function calendarLookup(calendar: HolidayCalendar): CalendarLookup {
  const years = new Map<number, CalendarYear<CountedDayOff>>();
  for (const y of calendar) if (!years.has(y.year) || y.basis === 'decreed') years.set(y.year, y);
  const days = new Map<string, CountedDayOff>();
  for (const y of years.values()) for (const d of y.daysOff) if (!days.has(d.date)) days.set(d.date, d);
  return {
    dayOff: (date) => days.get(date),
    counting: (year) => years.get(year)?.basis ?? 'weekends-only',
  };
}

/** The date (`YYYY-MM-DD`) of a day number counted from 1970-01-01. */
export function isoDateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
