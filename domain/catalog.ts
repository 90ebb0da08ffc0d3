import type { ProgramPlan } from './program-plan';
import { FailureType } from './failure-types';

/** One published version of a program, as the catalog keeps it. */
export interface CatalogEntry {
  plan: ProgramPlan;
  publishedBy: string;
  publishedAt: string;
}

export type PublishCheck = { ok: true; existing?: CatalogEntry } | { ok: false; type: string; message: string };

const same = (a: ProgramPlan, b: ProgramPlan) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A program's versions only grow, one at a time, after the version shipped with Sinergi (0 if
 * none), and a published version never changes (rollouts pin it). Publishing the same plan
 * again is answered with the entry already there.
 */
export function checkPublish(entries: readonly CatalogEntry[], plan: ProgramPlan, shippedVersion: number): PublishCheck {
  const versions = entries.filter((e) => e.plan.programId === plan.programId);
  const existing = versions.find((e) => e.plan.version === plan.version);
  if (existing) {
    return same(existing.plan, plan)
      ? { ok: true, existing }
      : { ok: false, type: FailureType.InvalidOperation, message: `${plan.programId} version ${plan.version} is already published with different content; publish version ${nextVersion(versions, shippedVersion)}` };
  }
  const next = nextVersion(versions, shippedVersion);
  if (plan.version !== next) return { ok: false, type: FailureType.InvalidOperation, message: `the next version of ${plan.programId} is ${next}` };
  return { ok: true };
}

function nextVersion(versions: readonly CatalogEntry[], shippedVersion: number): number {
  return versions.reduce((max, e) => Math.max(max, e.plan.version), shippedVersion) + 1;
}
