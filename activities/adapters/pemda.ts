import { z } from 'zod';
import { pemdaApi, type PemdaRequest } from '../../agency-apis/pemda';
import type { AgencyEndpoints } from '../../config/config';
import type { AgencyAdapter } from './agency-adapter';
import { callAgency, parseStepParameters, withdrawer } from './agency-http';

/** Which visit of how many this follow-up step is; a plan with one unnumbered visit means 1 of 1. */
export const PemdaParametersSchema = z
  .object({
    visit: z.coerce.number().int().min(1).default(1),
    of: z.coerce.number().int().min(1).default(1),
  })
  .refine((p) => p.visit <= p.of, { path: ['visit'], message: 'cannot exceed "of"' });

export function createPemdaAdapter(endpoint: AgencyEndpoints['pemda'], fetchImpl = fetch): AgencyAdapter {
  return {
    agency: 'pemda',
    cancelTask: withdrawer('pemda', pemdaApi.cancel, endpoint, pemdaApi.authHeaders(endpoint), fetchImpl),
    async openTask(request, signal) {
      const { household } = request;
      const parameters = parseStepParameters('pemda', PemdaParametersSchema, request.parameters);
      const body: PemdaRequest = {
        ref: request.taskId,
        kk: household.familyCardNumber,
        nik: household.headNik,
        nama: household.headName,
        desa: household.region,
        kunjungan_ke: parameters.visit,
        dari: parameters.of,
        status_kesejahteraan: household.welfareStatus,
      };
      const answer = await callAgency({
        agency: 'pemda',
        method: pemdaApi.method,
        url: `${endpoint.url}${pemdaApi.path}`,
        headers: pemdaApi.authHeaders(endpoint),
        body,
        signWith: { secret: endpoint.requestSecret, id: request.taskId },
        signal,
        // A ref registered before answers 409 with the existing task: that is our task.
        accepted: pemdaApi.AcceptedSchema,
        alsoAccepted: [409],
        refusalReason: (b) => pemdaApi.RefusalSchema.safeParse(b).data?.pesan,
        household,
        fetchImpl,
      });
      return { agencyReference: answer.nomor_tugas };
    },
  };
}
