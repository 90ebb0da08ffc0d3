import { kemensosApi } from '../../../agency-apis/kemensos';
import type { AgencyEndpoints } from '../../../config/config';
import type { AgencySimulation } from '../ministry-simulator';

export function kemensosSimulation(credentials: AgencyEndpoints['kemensos']): AgencySimulation {
  return {
    agency: 'kemensos',
    referencePrefix: 'SKS',
    expectedAuth: kemensosApi.authHeaders(credentials),
    requestSecret: credentials.requestSecret,
    cancelRoute: { method: kemensosApi.cancel.method, path: kemensosApi.cancel.routePath },
    mount(router, desk) {
      router.post(kemensosApi.path, (req, res) => {
        const received = desk.receive(req, res, kemensosApi.RequestSchema, [kemensosApi.idempotencyHeader]);
        if (!received) return;
        const { body, headers } = received;
        const admission = desk.admit(headers[kemensosApi.idempotencyHeader], body.no_kk, () => ({
          amount: body.nominal,
          transferReference: `TRF-${Date.now().toString(36).toUpperCase()}`,
        }));
        switch (admission.kind) {
          case 'unavailable':
            res.status(503).json({ kode: 'GANGGUAN', alasan: 'layanan sedang gangguan' });
            return;
          case 'refused':
            res.status(422).json({ kode: 'TIDAK_LAYAK', alasan: admission.reason });
            return;
          default:
            res.status(admission.kind === 'opened' ? 201 : 200).json({ id_penyaluran: admission.task.agencyReference, status: 'DITERIMA' });
        }
      });
    },
  };
}
