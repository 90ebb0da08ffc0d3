import { kemensosApi, type KemensosRequest } from '../../agency-apis/kemensos';
import type { AgencyEndpoints } from '../../config/config';
import type { AgencyAdapter } from './agency-adapter';
import { callAgency } from './agency-http';

export function createKemensosAdapter(endpoint: AgencyEndpoints['kemensos'], fetchImpl?: typeof fetch): AgencyAdapter {
  return {
    agency: 'kemensos',
    async openTask(request, signal) {
      const { household, parameters } = request;
      const body: KemensosRequest = {
        id_permintaan: request.taskId,
        no_kk: household.familyCardNumber,
        nik_penerima: household.headNik,
        nama_penerima: household.headName,
        kode_wilayah: household.region,
        program: String(parameters.programme ?? 'PKH'),
        nominal: Number(parameters.amount),
      };
      const answer = await callAgency({
        agency: 'kemensos',
        method: kemensosApi.method,
        url: `${endpoint.url}${kemensosApi.path}`,
        headers: { ...kemensosApi.authHeaders(endpoint), 'x-idempotency-key': request.taskId },
        body,
        signWith: { secret: endpoint.requestSecret, id: request.taskId },
        signal,
        accepted: kemensosApi.AcceptedSchema,
        refusalReason: (b) => kemensosApi.RefusalSchema.safeParse(b).data?.alasan,
        fetchImpl,
      });
      return { agencyReference: answer.id_penyaluran };
    },
  };
}
