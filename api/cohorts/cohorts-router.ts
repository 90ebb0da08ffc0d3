import { Router, type Request } from 'express';
import { z } from 'zod';
import { readCohortReport, saveCohort } from '../../cohort/cohort-store';
import { CohortFormatError } from '../../cohort/read-cohort';
import { CohortIdSchema } from '../../domain/rollout';
import type { ApiDeps } from '../api-deps';
import { AppError } from '../app-error';
import { allow, principalOf } from '../auth/authenticate';
import { parseRequest } from '../parse';

const CohortParamsSchema = z.object({ id: CohortIdSchema });

/** 100,000 households with phone and e-mail are about 20 MB; anything far beyond is a mistake. */
const maxUploadBytes = 200 * 1024 * 1024;

function formatOf(req: Request): 'csv' | 'json' {
  if (req.is('text/csv') || req.is('application/csv') || req.is('text/plain')) return 'csv';
  if (req.is('application/json')) return 'json';
  throw new AppError('invalid_request', 'send the cohort as text/csv or application/json', {
    fields: [{ field: 'headers.content-type', message: 'must be text/csv or application/json' }],
  });
}

/** The upload, counted as it streams past, cut off beyond the limit. */
async function* limited(req: Request): AsyncGenerator<Buffer> {
  let bytes = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > maxUploadBytes) throw new AppError('invalid_request', `the upload is larger than ${maxUploadBytes / 1024 / 1024} MB`);
    yield chunk;
  }
}

/** Cohort import: mounted before the JSON body parser, because the upload is streamed. */
export function cohortsRouter(deps: ApiDeps): Router {
  const router = Router();
  router.post('/v1/cohorts', allow('coordinator'), async (req, res) => {
    const format = formatOf(req);
    try {
      const report = await saveCohort(deps.dataDir, limited(req), format, principalOf(res).id);
      res.status(201).location(`/v1/cohorts/${report.cohortId}`).json(report);
    } catch (err) {
      if (err instanceof CohortFormatError) throw new AppError('invalid_request', err.message, { fields: [{ field: `body.${err.field}`, message: err.message }] });
      throw err;
    }
  });
  router.get('/v1/cohorts/:id', allow('viewer', 'coordinator', 'manager'), async (req, res) => {
    const { id } = parseRequest(CohortParamsSchema, req.params, 'params');
    const report = await readCohortReport(deps.dataDir, id);
    if (!report) throw new AppError('not_found', `no cohort ${id}`);
    res.json(report);
  });
  return router;
}
