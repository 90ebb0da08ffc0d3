import { z } from 'zod';
import { FamilyCardNumberSchema, NikSchema } from '../domain/household';
import { defineAgency, defineStep } from './agency-definition';

// 202 for a new and a repeated key alike: the application is received, decided later.
const received = (reference: string) => ({ status: 202, body: { applicationNo: reference, status: 'RECEIVED' } });

/** Kemenkop's micro-capital (UMi) application API (client id and secret headers, Idempotency-Key). */
export const kemenkop = defineAgency({
  name: 'kemenkop',
  credentials: { CLIENT_ID: 'sinergi', CLIENT_SECRET: 'dev-kemenkop-secret' },
  authHeaders: (c) => ({ 'x-client-id': c.CLIENT_ID, 'x-client-secret': c.CLIENT_SECRET }),
  simulator: { port: 9103, referencePrefix: 'UMI' },
  steps: {
    'micro-capital': defineStep({
      /** The financing scheme and the amount in rupiah. */
      parameters: z.object({
        scheme: z.string().min(1).default('UMi'),
        amount: z.coerce.number().int().positive(),
      }),
      request: {
        method: 'POST',
        path: '/umi/applications',
        // Our task id; a repeated key answers 202 with the first answer.
        idempotencyHeader: 'idempotency-key',
        schema: z.object({
          externalRef: z.string().min(1),
          applicant: z.object({
            nik: NikSchema,
            name: z.string().min(1),
            kk: FamilyCardNumberSchema,
            villageCode: z.string().min(1),
          }),
          scheme: z.string().min(1),
          requestedAmount: z.number().int().positive(),
        }),
        body: ({ taskId, household }, parameters) => ({
          externalRef: taskId,
          applicant: { nik: household.headNik, name: household.headName, kk: household.familyCardNumber, villageCode: household.region },
          scheme: parameters.scheme,
          requestedAmount: parameters.amount,
        }),
      },
      answer: {
        accepted: z.object({ applicationNo: z.string().min(1), status: z.literal('RECEIVED') }),
        reference: (answer) => answer.applicationNo,
        refusalReason: (body) =>
          z.object({ rejected: z.literal(true), reasonCode: z.string(), reasonText: z.string() }).safeParse(body).data?.reasonText,
      },
      simulator: {
        // The Idempotency-Key header is the key; externalRef carries the same id for their books.
        taskKey: ({ headers }) => headers['idempotency-key'],
        householdId: (body) => body.applicant.kk,
        result: (body) => ({ amount: body.requestedAmount, scheme: body.scheme, accountNumber: `0${body.applicant.kk.slice(-9)}` }),
        answers: {
          opened: received,
          existing: received,
          unavailable: () => ({ status: 503, body: { message: 'temporarily unavailable' } }),
          refused: (reason) => ({ status: 422, body: { rejected: true, reasonCode: 'NOT_ELIGIBLE', reasonText: reason } }),
        },
      },
    }),
  },
  /** Withdraws an application: POST .../withdrawal with a reason. */
  cancel: { method: 'POST', path: '/umi/applications/:taskId/withdrawal', body: (reason) => ({ reason }) },
});
