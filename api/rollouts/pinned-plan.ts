import { existsSync } from 'node:fs';
import type { ProgramPlan } from '../../domain/program-plan';
import { cohortPaths } from '../../cohort/cohort-paths';
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

/** The imported cohort's household file, or a 404 naming the field. */
export function cohortFile(deps: ApiDeps, cohortId: string): string {
  const file = cohortPaths(deps.dataDir, cohortId).households;
  if (existsSync(file)) return file;
  const message = `no imported cohort ${cohortId}; import it with POST /v1/cohorts`;
  throw new AppError('not_found', message, { fields: [{ field: 'body.cohortId', message }] });
}
