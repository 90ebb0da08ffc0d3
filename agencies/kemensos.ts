import { z } from 'zod';
import { FamilyCardNumberSchema, NikSchema } from '../domain/household';
import { defineAgency, defineStep } from './agency-definition';


/** Kemensos' aid-disbursement API (Indonesian field names, API key, idempotency header). */
export const kemensos = defineAgency({
  name: 'kemensos',
  credentials: { API_KEY: 'dev-kemensos-key' },
  authHeaders: (c) => ({ 'x-api-key': c.API_KEY }),
  simulator: { port: 9101, referencePrefix: 'SKS' },
  steps: {
    'aid-disbursement': defineStep({
      /** Which programme, and how many rupiah. */
      parameters: z.object({
        programme: z.string().min(1).default('PKH'),
        amount: z.coerce.number().int().positive(),
      }),
      request: {
        method: 'POST',
        path: '/api/v1/penyaluran',
        // Carries id_permintaan (our task id); a repeated key answers 200 with the first answer.
        idempotencyHeader: 'x-idempotency-key',
        schema: z.object({
          id_permintaan: z.string().min(1),
          no_kk: FamilyCardNumberSchema,
          nik_penerima: NikSchema,
          nama_penerima: z.string().min(1),
          kode_wilayah: z.string().min(1),
          program: z.string().min(1),
          nominal: z.number().int().positive(),
        }),
        body: ({ taskId, household }, parameters) => ({
          id_permintaan: taskId,
          no_kk: household.familyCardNumber,
          nik_penerima: household.headNik,
          nama_penerima: household.headName,
          kode_wilayah: household.region,
          program: parameters.programme,
          nominal: parameters.amount,
        }),
      },
      answer: {
        /** 201 for a new request, 200 with the same body for a repeated id_permintaan. */
        accepted: z.object({ id_penyaluran: z.string().min(1), status: z.literal('DITERIMA') }),
        reference: (answer) => answer.id_penyaluran,
        refusalReason: (body) => z.object({ kode: z.string(), alasan: z.string() }).safeParse(body).data?.alasan,
      },
      simulator: {
        taskKey: ({ headers }) => headers['x-idempotency-key'],
        householdId: (body) => body.no_kk,
        result: (body) => ({ amount: body.nominal, transferReference: `TRF-${Date.now().toString(36).toUpperCase()}` }),
        answers: {
          opened: (reference) => ({ status: 201, body: { id_penyaluran: reference, status: 'DITERIMA' } }),
          existing: (reference) => ({ status: 200, body: { id_penyaluran: reference, status: 'DITERIMA' } }),
          unavailable: () => ({ status: 503, body: { kode: 'GANGGUAN', alasan: 'layanan sedang gangguan' } }),
          refused: (reason) => ({ status: 422, body: { kode: 'TIDAK_LAYAK', alasan: reason } }),
        },
      },
    }),
  },
  /** Withdraws a disbursement request not yet paid: DELETE by id_permintaan. */
  cancel: { method: 'DELETE', path: '/api/v1/penyaluran/:taskId', body: (alasan) => ({ alasan }) },
});
