import { z } from 'zod';
import { CriterionKeySchema } from '../domain/ids';
import type { IndicatorValue, VisitFormItem } from '../domain/graduation';
import type { VisitPhase } from '../domain/graduation-steps';

/**
 * A follow-up visit's form as SIPD receives it (Indonesian field names), and what pemda's
 * simulated facilitator finds: plausible values, the same for the same household and visit, so
 * demos and tests repeat. Households follow one of three courses, by a hash of their KK: most are
 * ready by the last planned visit, some only after an extension, some never; a few graduates
 * relapse after graduation.
 */

export const visitPhaseWords = { planned: 'rutin', extension: 'perpanjangan', 'after-graduation': 'pasca-graduasi' } as const satisfies Record<VisitPhase, string>;

export const FormItemSchema = z.object({
  kode: CriterionKeySchema,
  uraian: z.string().min(1),
  jenis: z.enum(['angka', 'ya-tidak', 'pilihan']),
  wajib: z.boolean(),
  satuan: z.enum(['rupiah', 'count', 'days', 'percent']).optional(),
  paling_sedikit: z.number().optional(),
  paling_banyak: z.number().optional(),
  jawaban_memenuhi: z.boolean().optional(),
  pilihan: z.array(z.object({ kode: CriterionKeySchema, uraian: z.string() })).optional(),
  pilihan_memenuhi: z.array(CriterionKeySchema).optional(),
});
export type FormItem = z.infer<typeof FormItemSchema>;

/** The request's visit form in SIPD's words; `wajib` marks what keeps a household from graduating. */
export function formOf(report: readonly VisitFormItem[]): FormItem[] {
  return report.map(({ key, label, indicator, mandatory }): FormItem => {
    const base = { kode: key, uraian: label.id, wajib: mandatory };
    switch (indicator.type) {
      case 'number':
        return { ...base, jenis: 'angka', satuan: indicator.unit, ...(indicator.atLeast !== undefined && { paling_sedikit: indicator.atLeast }), ...(indicator.atMost !== undefined && { paling_banyak: indicator.atMost }) };
      case 'yes-no':
        return { ...base, jenis: 'ya-tidak', jawaban_memenuhi: indicator.expected };
      case 'choice':
        return { ...base, jenis: 'pilihan', pilihan: indicator.choices.map((c) => ({ kode: c.key, uraian: c.label.id })), pilihan_memenuhi: indicator.meets };
    }
  });
}

/** FNV-1a over the text, as a number in [0, 1): the same household and visit always draw the same. */
function draw(...parts: (string | number)[]): number {
  let hash = 0x811c9dc5;
  for (const ch of parts.join('|')) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return hash / 2 ** 32;
}

export type VisitCourse = 'ready' | 'ready-after-extension' | 'not-ready';

/** Which course a household's visits take: 60 % ready by the last planned visit, 20 % after an extension, 20 % never. */
export function visitCourseOf(kk: string): VisitCourse {
  const r = draw(kk, 'course');
  return r < 0.6 ? 'ready' : r < 0.8 ? 'ready-after-extension' : 'not-ready';
}

/** Whether a graduate is found below the bar again after graduation (about one in seven). */
export const relapsesAfterGraduation = (kk: string): boolean => draw(kk, 'relapse') < 0.15;

const roundTo = (value: number, step: number) => Math.round(value / step) * step;

function meetingValue(item: FormItem, r: number): IndicatorValue {
  if (item.jenis === 'ya-tidak') return item.jawaban_memenuhi ?? true;
  if (item.jenis === 'pilihan') return item.pilihan_memenuhi![Math.floor(r * item.pilihan_memenuhi!.length)]!;
  const low = item.paling_sedikit ?? 0;
  const high = item.paling_banyak ?? Math.max(low * 3, low + 3);
  const value = low + r * (high - low);
  return item.satuan === 'rupiah' ? Math.max(low, Math.min(high, roundTo(value, 50_000) || low)) : Math.round(value);
}

function missingValue(item: FormItem, r: number): IndicatorValue {
  if (item.jenis === 'ya-tidak') return !(item.jawaban_memenuhi ?? true);
  if (item.jenis === 'pilihan') return item.pilihan!.find((c) => !item.pilihan_memenuhi!.includes(c.kode))?.kode ?? item.pilihan![0]!.kode;
  if (item.paling_banyak !== undefined) return item.paling_banyak + 1 + Math.floor(r * 4);
  const low = item.paling_sedikit ?? 0;
  return item.satuan === 'rupiah' ? roundTo(r * low * 0.8, 50_000) : Math.max(0, Math.ceil(low) - 1 - Math.floor(r * low));
}

/**
 * What the facilitator finds on this visit: everything met when the household's course says it
 * is ready by now, its mandatory criteria missed when it is not, and in between (earlier visits)
 * each criterion met or not by a draw.
 */
export function visitFindings(kk: string, phase: VisitPhase, visit: number, of: number, form: readonly FormItem[]): Record<string, IndicatorValue> {
  const course = visitCourseOf(kk);
  const lastOfPhase = visit === of;
  const ready =
    phase === 'after-graduation' ? !relapsesAfterGraduation(kk) : lastOfPhase && (course === 'ready' || (phase === 'extension' && course === 'ready-after-extension'));
  const notReady = phase === 'after-graduation' ? !ready : lastOfPhase || course === 'not-ready';
  return Object.fromEntries(
    form.map((item) => {
      const r = draw(kk, phase, visit, item.kode);
      const met = ready || (!notReady && draw(kk, phase, visit, item.kode, 'met') < 0.5) || (notReady && !item.wajib && r < 0.5);
      return [item.kode, met ? meetingValue(item, r) : missingValue(item, r)];
    }),
  );
}
