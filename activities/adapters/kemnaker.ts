import { z } from 'zod';
import { kemnakerApi, type KemnakerRequest } from '../../agency-apis/kemnaker';
import type { AgencyEndpoints } from '../../config/config';
import type { AgencyAdapter } from './agency-adapter';
import { callAgency, parseStepParameters, withdrawer } from './agency-http';

/** What a job-training step must tell kemnaker: the course to enrol in. */
export const KemnakerParametersSchema = z.object({ course: z.string().min(1) });

export function createKemnakerAdapter(endpoint: AgencyEndpoints['kemnaker'], fetchImpl = fetch): AgencyAdapter {
  return {
    agency: 'kemnaker',
    cancelTask: withdrawer('kemnaker', kemnakerApi.cancel, endpoint, kemnakerApi.authHeaders(endpoint), fetchImpl),
    async openTask(request, signal) {
      const { household } = request;
      const parameters = parseStepParameters('kemnaker', KemnakerParametersSchema, request.parameters);
      const body: KemnakerRequest = {
        participant: {
          nationalId: household.headNik,
          fullName: household.headName,
          familyCardNumber: household.familyCardNumber,
          regionCode: household.region,
        },
        courseCode: parameters.course,
      };
      // PUT to our own reference: repeating it can only ever address the same enrolment.
      const answer = await callAgency({
        agency: 'kemnaker',
        method: kemnakerApi.method,
        url: `${endpoint.url}${kemnakerApi.path(request.taskId)}`,
        headers: kemnakerApi.authHeaders(endpoint),
        body,
        signWith: { secret: endpoint.requestSecret, id: request.taskId },
        signal,
        accepted: kemnakerApi.AcceptedSchema,
        refusalReason: (b) => kemnakerApi.RefusalSchema.safeParse(b).data?.error.message,
        household,
        fetchImpl,
      });
      return { agencyReference: answer.enrolmentId };
    },
  };
}
