import { kemenkopApi, type KemenkopRequest } from '../../agency-apis/kemenkop';
import type { AgencyEndpoints } from '../../config/config';
import type { AgencyAdapter } from './agency-adapter';
import { callAgency } from './agency-http';

export function createKemenkopAdapter(endpoint: AgencyEndpoints['kemenkop'], fetchImpl?: typeof fetch): AgencyAdapter {
  return {
    agency: 'kemenkop',
    async openTask(request, signal) {
      const { household, parameters } = request;
      const body: KemenkopRequest = {
        externalRef: request.taskId,
        applicant: {
          nik: household.headNik,
          name: household.headName,
          kk: household.familyCardNumber,
          villageCode: household.region,
        },
        scheme: String(parameters.scheme ?? 'UMi'),
        requestedAmount: Number(parameters.amount),
      };
      const answer = await callAgency({
        agency: 'kemenkop',
        method: kemenkopApi.method,
        url: `${endpoint.url}${kemenkopApi.path}`,
        headers: { ...kemenkopApi.authHeaders(endpoint), 'idempotency-key': request.taskId },
        body,
        signWith: { secret: endpoint.requestSecret, id: request.taskId },
        signal,
        accepted: kemenkopApi.AcceptedSchema,
        refusalReason: (b) => kemenkopApi.RefusalSchema.safeParse(b).data?.reasonText,
        fetchImpl,
      });
      return { agencyReference: answer.applicationNo };
    },
  };
}
