import { z } from 'zod';
import { FamilyCardNumberSchema, NikSchema } from '../domain/household';
import { defineAgency, defineStep } from './agency-definition';
import { TrainingParametersSchema } from './training-parameters';

const enrolled = (reference: string) => ({ enrolmentId: reference, state: 'ENROLLED' });

/** Kemnaker's training-enrolment API (camelCase, bearer token, PUT by our reference). */
export const kemnaker = defineAgency({
  name: 'kemnaker',
  credentials: { TOKEN: 'dev-kemnaker-token' },
  authHeaders: (c) => ({ authorization: `Bearer ${c.TOKEN}` }),
  simulator: { port: 9102, referencePrefix: 'ENR' },
  steps: {
    'job-training': defineStep({
      parameters: TrainingParametersSchema,
      request: {
        // PUT to our own reference: repeating it can only ever address the same enrolment.
        method: 'PUT',
        path: '/v2/training/enrolments/:taskId',
        schema: z.object({
          participant: z.object({
            nationalId: NikSchema,
            fullName: z.string().min(1),
            familyCardNumber: FamilyCardNumberSchema,
            regionCode: z.string().min(1),
          }),
          courseCode: z.string().min(1),
        }),
        body: ({ household }, parameters) => ({
          participant: {
            nationalId: household.headNik,
            fullName: household.headName,
            familyCardNumber: household.familyCardNumber,
            regionCode: household.region,
          },
          courseCode: parameters.course,
        }),
      },
      answer: {
        /** 201 created, 200 when the enrolment already exists. */
        accepted: z.object({ enrolmentId: z.string().min(1), state: z.literal('ENROLLED') }),
        reference: (answer) => answer.enrolmentId,
        refusalReason: (body) => z.object({ error: z.object({ code: z.string(), message: z.string() }) }).safeParse(body).data?.error.message,
      },
      simulator: {
        // Our reference is in the path: the enrolment is addressed by it, so it is the key.
        taskKey: ({ params }) => params.taskId,
        householdId: (body) => body.participant.familyCardNumber,
        result: (body) => ({
          attendancePercent: 92,
          passed: true,
          certificateNumber: `BLK-${body.courseCode.toUpperCase()}-${Date.now().toString(36).toUpperCase()}`,
        }),
        answers: {
          opened: (reference) => ({ status: 201, body: enrolled(reference) }),
          existing: (reference) => ({ status: 200, body: enrolled(reference) }),
          unavailable: () => ({ status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'try again later' } } }),
          refused: (reason) => ({ status: 422, body: { error: { code: 'PARTICIPANT_INELIGIBLE', message: reason } } }),
        },
      },
    }),
  },
  /** Withdraws an enrolment: DELETE on our reference. */
  cancel: { method: 'DELETE', path: '/v2/training/enrolments/:taskId', body: (reason) => ({ reason }) },
});
