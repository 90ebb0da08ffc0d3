import { z } from 'zod';
import { kemensosApi, type KemensosRequest } from '../../agency-apis/kemensos';
import type { AgencyEndpoints } from '../../config/config';
import type { AgencyAdapter } from './agency-adapter';
import { callAgency, parseStepParameters, withdrawer } from './agency-http';

/** What an aid-disbursement step must tell kemensos: which programme, and how many rupiah. */
export const KemensosParametersSchema = z.object({
  programme: z.string().min(1).default('PKH'),
  amount: z.coerce.number().int().positive(),
});

export function createKemensosAdapter(endpoint: AgencyEndpoints['kemensos'], fetchImpl = fetch): AgencyAdapter {
  return {
    agency: 'kemensos',
    cancelTask: withdrawer('kemensos', kemensosApi.cancel, endpoint, kemensosApi.authHeaders(endpoint), fetchImpl),
    async openTask(request, signal) {
      const { household } = request;
      const parameters = parseStepParameters('kemensos', KemensosParametersSchema, request.parameters);
      const body: KemensosRequest = {
        id_permintaan: request.taskId,
        no_kk: household.familyCardNumber,
        nik_penerima: household.headNik,
        nama_penerima: household.headName,
        kode_wilayah: household.region,
        program: parameters.programme,
        nominal: parameters.amount,
      };
      const answer = await callAgency({
        agency: 'kemensos',
        method: kemensosApi.method,
        url: `${endpoint.url}${kemensosApi.path}`,
        headers: { ...kemensosApi.authHeaders(endpoint), [kemensosApi.idempotencyHeader]: request.taskId },
        body,
        signWith: { secret: endpoint.requestSecret, id: request.taskId },
        signal,
        accepted: kemensosApi.AcceptedSchema,
        refusalReason: (b) => kemensosApi.RefusalSchema.safeParse(b).data?.alasan,
        household,
        fetchImpl,
      });
      return { agencyReference: answer.id_penyaluran };
    },
  };
}
