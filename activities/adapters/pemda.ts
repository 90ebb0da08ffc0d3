import { z } from 'zod';
import { pemdaApi, type PemdaRequest, type PemdaTrainingRequest } from '../../agency-apis/pemda';
import type { AgencyEndpoints } from '../../config/config';
import type { TaskRequest } from '../../domain/task-request';
import type { AgencyAdapter } from './agency-adapter';
import { callAgency, parseStepParameters, withdrawer } from './agency-http';
import { KemnakerParametersSchema } from './kemnaker';

/** Which visit of how many this follow-up step is; a plan with one unnumbered visit means 1 of 1. */
export const PemdaParametersSchema = z
  .object({
    visit: z.coerce.number().int().min(1).default(1),
    of: z.coerce.number().int().min(1).default(1),
  })
  .refine((p) => p.visit <= p.of, { path: ['visit'], message: 'cannot exceed "of"' });

/** The SIPD body for a task: a visit, or (for a training step) a place at the regency's training centre. */
function sipdRequest(request: TaskRequest): { path: string; body: PemdaRequest | PemdaTrainingRequest } {
  const { household } = request;
  const who = { ref: request.taskId, kk: household.familyCardNumber, nik: household.headNik, nama: household.headName, desa: household.region };
  if (request.kind === 'job-training') {
    // The same course parameters a training step gives kemnaker, so a reassigned step needs no new plan.
    const { course } = parseStepParameters('pemda', KemnakerParametersSchema, request.parameters);
    return { path: pemdaApi.trainingPath, body: { ...who, kode_kursus: course } };
  }
  const parameters = parseStepParameters('pemda', PemdaParametersSchema, request.parameters);
  return {
    path: pemdaApi.path,
    body: { ...who, kunjungan_ke: parameters.visit, dari: parameters.of, status_kesejahteraan: household.welfareStatus },
  };
}

export function createPemdaAdapter(endpoint: AgencyEndpoints['pemda'], fetchImpl = fetch): AgencyAdapter {
  return {
    agency: 'pemda',
    cancelTask: withdrawer('pemda', pemdaApi.cancel, endpoint, pemdaApi.authHeaders(endpoint), fetchImpl),
    async openTask(request, signal) {
      const { path, body } = sipdRequest(request);
      const answer = await callAgency({
        agency: 'pemda',
        method: pemdaApi.method,
        url: `${endpoint.url}${path}`,
        headers: pemdaApi.authHeaders(endpoint),
        body,
        signWith: { secret: endpoint.requestSecret, id: request.taskId },
        signal,
        // A ref registered before answers 409 with the existing task: that is our task.
        accepted: pemdaApi.AcceptedSchema,
        alsoAccepted: [409],
        refusalReason: (b) => pemdaApi.RefusalSchema.safeParse(b).data?.pesan,
        household: request.household,
        fetchImpl,
      });
      return { agencyReference: answer.nomor_tugas };
    },
  };
}
