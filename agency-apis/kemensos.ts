import { z } from 'zod';
import type { AgencyEndpoints } from '../config/config';

/** Kemensos' aid-disbursement API (Indonesian field names, API key, idempotency header). */
export const kemensosApi = {
  method: 'POST',
  path: '/api/v1/penyaluran',
  authHeaders: (c: AgencyEndpoints['kemensos']) => ({ 'x-api-key': c.apiKey }),
  /** Carries id_permintaan (our task id); a repeated key answers 200 with the first answer. */
  idempotencyHeader: 'x-idempotency-key',
  RequestSchema: z.object({
    id_permintaan: z.string().min(1),
    no_kk: z.string().regex(/^\d{16}$/),
    nik_penerima: z.string().regex(/^\d{16}$/),
    nama_penerima: z.string().min(1),
    kode_wilayah: z.string().min(1),
    program: z.string().min(1),
    nominal: z.number().int().positive(),
  }),
  /** 201 for a new request, 200 with the same body for a repeated id_permintaan. */
  AcceptedSchema: z.object({ id_penyaluran: z.string().min(1), status: z.literal('DITERIMA') }),
  /** 422: the household may not receive this aid. */
  RefusalSchema: z.object({ kode: z.string(), alasan: z.string() }),
  /** Withdraws a disbursement request not yet paid: DELETE by id_permintaan (404 if unknown). */
  cancel: { method: 'DELETE', path: (id: string) => `/api/v1/penyaluran/${encodeURIComponent(id)}`, routePath: '/api/v1/penyaluran/:taskId', body: (alasan: string) => ({ alasan }) },
} as const;
export type KemensosRequest = z.infer<typeof kemensosApi.RequestSchema>;
