import { z } from 'zod';
import type { AgencyEndpoints } from '../config/config';

/** Kemnaker's training-enrolment API (camelCase, bearer token, PUT by our reference). */
export const kemnakerApi = {
  method: 'PUT',
  path: (referenceId: string) => `/v2/training/enrolments/${encodeURIComponent(referenceId)}`,
  routePath: '/v2/training/enrolments/:referenceId',
  authHeaders: (c: AgencyEndpoints['kemnaker']) => ({ authorization: `Bearer ${c.token}` }),
  RequestSchema: z.object({
    participant: z.object({
      nationalId: z.string().regex(/^\d{16}$/),
      fullName: z.string().min(1),
      familyCardNumber: z.string().regex(/^\d{16}$/),
      regionCode: z.string().min(1),
    }),
    courseCode: z.string().min(1),
  }),
  /** 201 created, 200 when the enrolment already exists. */
  AcceptedSchema: z.object({ enrolmentId: z.string().min(1), state: z.literal('ENROLLED') }),
  /** 422: the participant may not take this course. */
  RefusalSchema: z.object({ error: z.object({ code: z.string(), message: z.string() }) }),
  /** Withdraws an enrolment: DELETE on our reference (404 if unknown). */
  cancel: { method: 'DELETE', path: (id: string) => `/v2/training/enrolments/${encodeURIComponent(id)}`, routePath: '/v2/training/enrolments/:taskId', body: (reason: string) => ({ reason }) },
} as const;
export type KemnakerRequest = z.infer<typeof kemnakerApi.RequestSchema>;
