import { z } from 'zod';
import type { AgencyEndpoints } from '../config/config';
import { WelfareStatusSchema } from '../domain/welfare-status';

/** The regency's facilitator-visit API (SIPD style: Indonesian fields, HTTP Basic auth). */
export const pemdaApi = {
  method: 'POST',
  path: '/sipd/kunjungan',
  authHeaders: (c: AgencyEndpoints['pemda']) => ({
    authorization: `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`,
  }),
  RequestSchema: z
    .object({
      ref: z.string().min(1),
      kk: z.string().regex(/^\d{16}$/),
      nik: z.string().regex(/^\d{16}$/),
      nama: z.string().min(1),
      desa: z.string().min(1),
      /** This visit's number, 1-based, out of `dari`. */
      kunjungan_ke: z.number().int().min(1),
      dari: z.number().int().min(1),
      /** The household's welfare status as Sinergi knows it before this visit. */
      status_kesejahteraan: WelfareStatusSchema,
    })
    .refine((b) => b.kunjungan_ke <= b.dari, { path: ['kunjungan_ke'], message: 'cannot exceed dari' }),
  /** 201 for a new visit task. */
  AcceptedSchema: z.object({ nomor_tugas: z.string().min(1) }),
  /** 409 for a ref already registered: the existing task, not an error. */
  DuplicateSchema: z.object({ pesan: z.string(), nomor_tugas: z.string().min(1) }),
  /** 422: the visit cannot be scheduled. */
  RefusalSchema: z.object({ pesan: z.string() }),
  /** Cancels a visit: POST .../batal with alasan (404 if unknown). */
  cancel: { method: 'POST', path: (ref: string) => `/sipd/kunjungan/${encodeURIComponent(ref)}/batal`, routePath: '/sipd/kunjungan/:taskId/batal', body: (alasan: string) => ({ alasan }) },
} as const;
export type PemdaRequest = z.infer<typeof pemdaApi.RequestSchema>;
