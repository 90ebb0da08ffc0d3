import { z } from 'zod';
import type { AgencyEndpoints } from '../config/config';
import { WelfareStatusSchema } from '../domain/welfare-status';

const Nik = z.string().regex(/^\d{16}$/);

/**
 * The regency's task API (SIPD style: Indonesian fields, HTTP Basic auth): facilitator visits,
 * and places at the regency's training centre (UPTD BLK). One register of tasks for both.
 */
export const pemdaApi = {
  method: 'POST',
  path: '/sipd/kunjungan',
  trainingPath: '/sipd/pelatihan',
  authHeaders: (c: AgencyEndpoints['pemda']) => ({
    authorization: `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`,
  }),
  RequestSchema: z
    .object({
      ref: z.string().min(1),
      kk: Nik,
      nik: Nik,
      nama: z.string().min(1),
      desa: z.string().min(1),
      /** This visit's number, 1-based, out of `dari`. */
      kunjungan_ke: z.number().int().min(1),
      dari: z.number().int().min(1),
      /** The household's welfare status as Sinergi knows it before this visit. */
      status_kesejahteraan: WelfareStatusSchema,
    })
    .refine((b) => b.kunjungan_ke <= b.dari, { path: ['kunjungan_ke'], message: 'cannot exceed dari' }),
  /** A place on a course at the regency's training centre. */
  TrainingRequestSchema: z.object({
    ref: z.string().min(1),
    kk: Nik,
    nik: Nik,
    nama: z.string().min(1),
    desa: z.string().min(1),
    kode_kursus: z.string().min(1),
  }),
  /** 201 for a new task (visit or training). */
  AcceptedSchema: z.object({ nomor_tugas: z.string().min(1) }),
  /** 409 for a ref already registered: the existing task, not an error. */
  DuplicateSchema: z.object({ pesan: z.string(), nomor_tugas: z.string().min(1) }),
  /** 422: the visit cannot be scheduled. */
  RefusalSchema: z.object({ pesan: z.string() }),
  /** Cancels a task of either kind: POST .../batal with alasan (404 if unknown). */
  cancel: { method: 'POST', path: (ref: string) => `/sipd/tugas/${encodeURIComponent(ref)}/batal`, routePath: '/sipd/tugas/:taskId/batal', body: (alasan: string) => ({ alasan }) },
} as const;
export type PemdaRequest = z.infer<typeof pemdaApi.RequestSchema>;
export type PemdaTrainingRequest = z.infer<typeof pemdaApi.TrainingRequestSchema>;
