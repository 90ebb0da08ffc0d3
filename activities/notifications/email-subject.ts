/**
 * E-mail subjects a person can sort by: `[Sinergi]`, then fixed fields, most significant first,
 * joined by ` · `, so sorting an inbox by subject groups and orders the mail as a manager reads it.
 *
 * An SLA notice: rank and kind · regency · agency · step key · deadline · rollout, e.g.
 *   `[Sinergi] 2 Terhambat · 35.09 · kemensos · aid · tenggat 2026-11-23 · jember-2026-tw1`
 *   `[Sinergi] 2 Stuck · 35.09 · kemensos · aid · deadline 2026-11-23 · jember-2026-tw1`
 * The kind carries its rank (1 escalation, 2 stuck, 3 reminder) so the most urgent comes first
 * in either language; region codes have fixed-width parts and the deadline is the day in the
 * region's own zone written year-month-day, so string order is the order meant.
 *
 * A graduation decision past its approval deadline ranks with a stuck step and has no agency:
 *   `[Sinergi] 2 Keputusan terlambat · 35.09 · graduation-decision · tenggat 2026-11-23 · jember-2026-tw1`
 *   `[Sinergi] 2 Decision overdue · 35.09 · graduation-decision · deadline 2026-11-23 · jember-2026-tw1`
 * (in either language it sorts just before the stuck steps).
 *
 * A daily digest: digest · day · regions · count, e.g.
 *   `[Sinergi] Ringkasan harian · 2026-11-23 · 35.07, 35.08 · 4 tahap terhambat`
 * (a word, not a digit, first: digests sort after every notice, by day).
 */
export const sortableSubject = (fields: string[]) => `[Sinergi] ${fields.join(' · ')}`;
