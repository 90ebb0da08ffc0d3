import { z } from 'zod';
import { kemenkopApi, type KemenkopRequest } from '../../agency-apis/kemenkop';
import type { AgencyEndpoints } from '../../config/config';
import type { AgencyAdapter } from './agency-adapter';
import { callAgency, parseStepParameters, withdrawer } from './agency-http';

/** What a micro-capital step must tell kemenkop: the financing scheme and the amount in rupiah. */
export const KemenkopParametersSchema = z.object({
  scheme: z.string().min(1).default('UMi'),
  amount: z.coerce.number().int().positive(),
});

export function createKemenkopAdapter(endpoint: AgencyEndpoints['kemenkop'], fetchImpl = fetch): AgencyAdapter {
  return {
    agency: 'kemenkop',
    cancelTask: withdrawer('kemenkop', kemenkopApi.cancel, endpoint, kemenkopApi.authHeaders(endpoint), fetchImpl),
    async openTask(request, signal) {
      const { household } = request;
      const parameters = parseStepParameters('kemenkop', KemenkopParametersSchema, request.parameters);
      const body: KemenkopRequest = {
        externalRef: request.taskId,
        applicant: {
          nik: household.headNik,
          name: household.headName,
          kk: household.familyCardNumber,
          villageCode: household.region,
        },
        scheme: parameters.scheme,
        requestedAmount: parameters.amount,
      };
      const answer = await callAgency({
        agency: 'kemenkop',
        method: kemenkopApi.method,
        url: `${endpoint.url}${kemenkopApi.path}`,
        headers: { ...kemenkopApi.authHeaders(endpoint), [kemenkopApi.idempotencyHeader]: request.taskId },
        body,
        signWith: { secret: endpoint.requestSecret, id: request.taskId },
        signal,
        accepted: kemenkopApi.AcceptedSchema,
        refusalReason: (b) => kemenkopApi.RefusalSchema.safeParse(b).data?.reasonText,
        household,
        fetchImpl,
      });
      return { agencyReference: answer.applicationNo };
    },
  };
}
