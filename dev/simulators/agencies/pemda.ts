import type { Request, Response, Router } from 'express';
import type { z } from 'zod';
import { pemdaApi } from '../../../agency-apis/pemda';
import type { AgencyEndpoints } from '../../../config/config';
import type { TaskResult } from '../../../domain/task-outcome';
import { WelfareStatusSchema, type WelfareStatus } from '../../../domain/welfare-status';
import type { AgencySimulation, MinistryDesk } from '../ministry-simulator';

const ladder = WelfareStatusSchema.options;
const oneStepUp = (s: WelfareStatus): WelfareStatus => ladder[Math.min(ladder.indexOf(s) + 1, ladder.length - 1)]!;

/** Visits and training places share SIPD's register, its answers and its refusals. */
function sipdRoute<S extends typeof pemdaApi.RequestSchema | typeof pemdaApi.TrainingRequestSchema>(
  router: Router,
  desk: MinistryDesk,
  path: string,
  schema: S,
  result: (body: z.infer<S>) => TaskResult,
): void {
  router.post(path, (req: Request, res: Response) => {
    const received = desk.receive(req, res, schema);
    if (!received) return;
    const body = received.body as z.infer<S>;
    const admission = desk.admit(body.ref, body.kk, () => result(body));
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
}

export function pemdaSimulation(credentials: AgencyEndpoints['pemda']): AgencySimulation {
  return {
    agency: 'pemda',
    referencePrefix: 'KJG',
    expectedAuth: pemdaApi.authHeaders(credentials),
    requestSecret: credentials.requestSecret,
    cancelRoute: { method: pemdaApi.cancel.method, path: pemdaApi.cancel.routePath },
    mount(router, desk) {
      // The programme works: by the last visit the facilitator sees the household one step up the ladder.
      sipdRoute(router, desk, pemdaApi.path, pemdaApi.RequestSchema, (body) => ({
        observedWelfareStatus: body.kunjungan_ke === body.dari ? oneStepUp(body.status_kesejahteraan) : body.status_kesejahteraan,
        visitedOn: new Date().toISOString().slice(0, 10),
      }));
      sipdRoute(router, desk, pemdaApi.trainingPath, pemdaApi.TrainingRequestSchema, (body) => ({
        attendancePercent: 88,
        passed: true,
        certificateNumber: `UPTD-${body.kode_kursus.toUpperCase()}-${Date.now().toString(36).toUpperCase()}`,
      }));
    },
  };
}
