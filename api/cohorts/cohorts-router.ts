import { Router, type Request } from 'express';
import { z } from 'zod';
import { readCohortReport, saveCohort, StoredCohortReportSchema } from '../../cohort/cohort-store';
import { requiredCohortColumns } from '../../cohort/cohort-row';
import { CohortFormatError } from '../../cohort/read-cohort';
import { CohortIdSchema } from '../../domain/rollout';
import type { ApiDeps } from '../api-deps';
import type { ApiRoutes } from '../api-routes';
import { AppError } from '../app-error';
import { principalOf } from '../auth/authenticate';
import { scopeOf } from '../auth/principal';
import { cohortInScope } from '../rollouts/cohort-scope';

const CohortParamsSchema = z.object({ id: CohortIdSchema });

/**
 * A cohort file as text. Whether it reads as a cohort (a header naming the columns, in any order,
 * by the registry's names too, comma- or semicolon-separated, quoted or not) is more than a
 * pattern can state: a file that does not is a 422 naming what is wrong, like any bad content.
 */
const CohortCsvSchema = z.string().min(1).meta({
  description: `CSV: a header row naming the columns ${requiredCohortColumns.join(', ')} and optionally phone and email (in any order, or by the registry's Indonesian names), comma- or semicolon-separated, then one household per row`,
});

/** 100,000 households with phone and e-mail are about 20 MB; anything far beyond is a mistake. */
const maxUploadBytes = 200 * 1024 * 1024;

function formatOf(req: Request): 'csv' | 'json' {
  // The upload is streamed as it comes: a compressed one would be read as garbage rows.
  const encoding = req.get('content-encoding')?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    throw new AppError('unsupported_media_type', `content-encoding ${encoding} is not supported: send the cohort uncompressed`, {
      fields: [{ field: 'headers.content-encoding', message: 'must be identity (or absent)' }],
    });
  }
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
    if (bytes > maxUploadBytes) throw new AppError('payload_too_large', `the upload is larger than ${maxUploadBytes / 1024 / 1024} MB`);
    yield chunk;
  }
}

/** Cohort import: mounted before the JSON body parser, because the upload is streamed. */
export function cohortsRouter(deps: ApiDeps, routes: ApiRoutes): Router {
  const router = Router();
  routes.add(
    router,
    'post',
    '/v1/cohorts',
    {
      summary: 'Import a cohort (CSV, comma or semicolon, or a JSON array of objects), streamed; answers the row validation report',
      roles: ['coordinator'],
      temporal: false,
      records: true,
      body: { 'text/csv': CohortCsvSchema, 'application/json': z.array(z.record(z.string(), z.unknown())) },
      responses: {
        201: { description: 'the cohort id and its validation report', schema: StoredCohortReportSchema },
        422: { description: 'the file does not read as a cohort: empty, no header naming the required columns, broken CSV or JSON, or no household objects (fields names body.file or the column)' },
      },
    },
    async (_input, req, res) => {
      const format = formatOf(req);
      try {
        const report = await saveCohort(deps, limited(req), format, principalOf(res).id);
        res.status(201).location(`/v1/cohorts/${report.cohortId}`).json(report);
      } catch (err) {
        if (err instanceof CohortFormatError) throw new AppError('unprocessable', err.message, { fields: [{ field: `body.${err.field}`, message: err.message }] });
        throw err;
      }
    },
  );
  routes.add(
    router,
    'get',
    '/v1/cohorts/:id',
    {
      summary: "A cohort's validation report",
      roles: ['viewer', 'coordinator', 'manager'],
      temporal: false,
      records: true,
      params: CohortParamsSchema,
      responses: {
        200: { description: 'the report', schema: StoredCohortReportSchema },
        404: { description: "no such cohort, or (to a caller limited to regions) one with no household or any household outside them (answered alike)" },
      },
    },
    async ({ params: { id } }, _req, res) => {
      const report = await readCohortReport(deps.records, id);
      if (!report) throw new AppError('not_found', `no cohort ${id}`);
      // Its rows name households: a person limited to regions reads only a cohort wholly in them.
      const scope = scopeOf(principalOf(res));
      if (scope !== 'national') {
        const { households, foreign } = await cohortInScope(deps.records, id, scope);
        if (households === 0 || foreign.length > 0) throw new AppError('not_found', `no cohort ${id}`);
      }
      res.json(report);
    },
  );
  return router;
}
