import { pemdaApi } from '../../agency-apis/pemda';
import type { AgencyEndpoints } from '../../config/config';
import { WelfareStatusSchema, type WelfareStatus } from '../../domain/welfare-status';
import type { AgencySimulation } from '../ministry-simulator';

const ladder = WelfareStatusSchema.options;
const oneStepUp = (s: WelfareStatus): WelfareStatus => ladder[Math.min(ladder.indexOf(s) + 1, ladder.length - 1)]!;

export function pemdaSimulation(credentials: AgencyEndpoints['pemda']): AgencySimulation {
  return {
    agency: 'pemda',
    referencePrefix: 'KJG',
    expectedAuth: pemdaApi.authHeaders(credentials),
    requestSecret: credentials.requestSecret,
    cancelRoute: { method: pemdaApi.cancel.method, path: pemdaApi.cancel.routePath },
    mount(router, desk) {
      router.post(pemdaApi.path, (req, res) => {
        const received = desk.receive(req, res, pemdaApi.RequestSchema);
        if (!received) return;
        const { body } = received;
        // The programme works: by the last visit the facilitator sees the household one step up the ladder.
        const admission = desk.admit(body.ref, body.kk, () => ({
          observedWelfareStatus: body.kunjungan_ke === body.dari ? oneStepUp(body.status_kesejahteraan) : body.status_kesejahteraan,
          visitedOn: new Date().toISOString().slice(0, 10),
        }));
        switch (admission.kind) {
          case 'unavailable':
            res.status(503).json({ pesan: 'server sedang sibuk' });
            return;
          case 'refused':
            res.status(422).json({ pesan: admission.reason });
            return;
          case 'existing':
            res.status(409).json({ pesan: 'sudah terdaftar', nomor_tugas: admission.task.agencyReference });
            return;
          default:
            res.status(201).json({ nomor_tugas: admission.task.agencyReference });
        }
      });
    },
  };
}
