import { z } from 'zod';
import { errorStatus, type ErrorCode } from './app-error';

export const FieldIssueSchema = z.object({ field: z.string(), message: z.string() });

/** Every error answer: `{ error: { code, message, fields? } }`, plus details some conflicts carry. */
export const ErrorBodySchema = z.object({
  error: z
    .looseObject({
      code: z.enum(Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      fields: z.array(FieldIssueSchema).optional(),
    })
    .meta({ description: 'code is one of a closed set; fields names each bad field (body.x, query.y, headers.z)' }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
