import { kemnakerApi, type KemnakerRequest } from '../../agency-apis/kemnaker';
import type { AgencyEndpoints } from '../../config/config';
import type { AgencyAdapter } from './agency-adapter';
import { callAgency } from './agency-http';

export function createKemnakerAdapter(endpoint: AgencyEndpoints['kemnaker'], fetchImpl?: typeof fetch): AgencyAdapter {
  return {
    agency: 'kemnaker',
    async openTask(request, signal) {
      const { household, parameters } = request;
      const body: KemnakerRequest = {
        participant: {
          nationalId: household.headNik,
          fullName: household.headName,
          familyCardNumber: household.familyCardNumber,
          regionCode: household.region,
        },
        courseCode: String(parameters.course),
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
        fetchImpl,
      });
      return { agencyReference: answer.enrolmentId };
    },
  };
}
