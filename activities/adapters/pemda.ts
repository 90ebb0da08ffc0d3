import { pemdaApi, type PemdaRequest } from '../../agency-apis/pemda';
import type { AgencyEndpoints } from '../../config/config';
import type { AgencyAdapter } from './agency-adapter';
import { callAgency } from './agency-http';

export function createPemdaAdapter(endpoint: AgencyEndpoints['pemda'], fetchImpl?: typeof fetch): AgencyAdapter {
  return {
    agency: 'pemda',
    async openTask(request, signal) {
      const { household, parameters } = request;
      const body: PemdaRequest = {
        ref: request.taskId,
        kk: household.familyCardNumber,
        nik: household.headNik,
        nama: household.headName,
        desa: household.region,
        kunjungan_ke: Number(parameters.visit ?? 1),
        dari: Number(parameters.of ?? 1),
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
        fetchImpl,
      });
      return { agencyReference: answer.nomor_tugas };
    },
  };
}
