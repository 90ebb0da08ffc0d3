import { z } from 'zod';
import type { AgencyEndpoints } from '../config/config';

/** Kemenkop's micro-capital (UMi) application API (client id and secret headers, Idempotency-Key). */
export const kemenkopApi = {
  method: 'POST',
  path: '/umi/applications',
  authHeaders: (c: AgencyEndpoints['kemenkop']) => ({ 'x-client-id': c.clientId, 'x-client-secret': c.clientSecret }),
  /** Our task id; a repeated key answers 202 with the first answer. */
  idempotencyHeader: 'idempotency-key',
  RequestSchema: z.object({
    externalRef: z.string().min(1),
    applicant: z.object({
      nik: z.string().regex(/^\d{16}$/),
      name: z.string().min(1),
      kk: z.string().regex(/^\d{16}$/),
      villageCode: z.string().min(1),
    }),
    scheme: z.string().min(1),
    requestedAmount: z.number().int().positive(),
  }),
  /** 202, the same answer for a repeated Idempotency-Key. */
  AcceptedSchema: z.object({ applicationNo: z.string().min(1), status: z.literal('RECEIVED') }),
  /** 422: the application is refused. */
  RefusalSchema: z.object({ rejected: z.literal(true), reasonCode: z.string(), reasonText: z.string() }),
  /** Withdraws an application: POST .../withdrawal with a reason (404 if unknown). */
  cancel: { method: 'POST', path: (id: string) => `/umi/applications/${encodeURIComponent(id)}/withdrawal`, routePath: '/umi/applications/:taskId/withdrawal', body: (reason: string) => ({ reason }) },
} as const;
export type KemenkopRequest = z.infer<typeof kemenkopApi.RequestSchema>;
