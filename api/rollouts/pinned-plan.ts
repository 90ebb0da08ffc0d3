import type { ProgramPlan } from '../../domain/program-plan';
import { cohortExists } from '../../cohort/cohort-store';
import type { ApiDeps } from '../api-deps';
import { AppError } from '../app-error';
import { readCatalog, versionsOf } from '../programs/catalog';

/** The program version a rollout pins, or a 404 naming the field: an unknown program or version is not found. */
export async function pinnedPlan(deps: ApiDeps, programId: string, version?: number): Promise<ProgramPlan> {
  const versions = versionsOf(await readCatalog(deps), programId);
  const plan = version === undefined ? versions.at(-1)?.plan : versions.find((e) => e.plan.version === version)?.plan;
  if (plan) return plan;
  const field = versions.length === 0 ? 'body.programId' : 'body.version';
  const message = field === 'body.programId' ? `no program ${programId} in the catalog` : `no version ${version} of ${programId}`;
  throw new AppError('not_found', message, { fields: [{ field, message }] });
}

/** An imported cohort, or a 404 naming the field. */
export async function requireCohort(deps: ApiDeps, cohortId: string): Promise<void> {
  if (await cohortExists(deps.records, cohortId)) return;
  const message = `no imported cohort ${cohortId}; import it with POST /v1/cohorts`;
  throw new AppError('not_found', message, { fields: [{ field: 'body.cohortId', message }] });
}
