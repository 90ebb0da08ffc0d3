import type * as BulkOperation from './bulk-operation';
import type * as DailyDigest from './daily-digest';
import type * as Enrolment from './enrolment';
import type * as HouseholdRun from './household-run';
import type * as ProgramCatalog from './program-catalog';
import type * as Rollout from './rollout';

/*
 * The workflows the worker runs, each loaded when a workflow of its type first runs. The SDK
 * evaluates the bundle's modules afresh for every workflow it creates (each run has its own
 * module state), so a workflow that imported them all paid for all of them: an enrolment lock,
 * which needs almost nothing, paid the run's zod schemas and domain code, about 12 ms of the
 * worker's CPU per lock (bench/README.md). `require` here is webpack's: each module is in the
 * bundle, evaluated on first call, in the workflow's own context like any import.
 */
/* eslint-disable @typescript-eslint/no-require-imports, no-restricted-globals -- webpack's require of workflow modules, as above */
export const householdRun: typeof HouseholdRun.householdRun = (...args) => (require('./household-run') as typeof HouseholdRun).householdRun(...args);
export const enrolment: typeof Enrolment.enrolment = (...args) => (require('./enrolment') as typeof Enrolment).enrolment(...args);
export const rollout: typeof Rollout.rollout = (...args) => (require('./rollout') as typeof Rollout).rollout(...args);
export const bulkOperation: typeof BulkOperation.bulkOperation = (...args) => (require('./bulk-operation') as typeof BulkOperation).bulkOperation(...args);
export const dailyDigest: typeof DailyDigest.dailyDigest = (...args) => (require('./daily-digest') as typeof DailyDigest).dailyDigest(...args);
export const programCatalog: typeof ProgramCatalog.programCatalog = (...args) => (require('./program-catalog') as typeof ProgramCatalog).programCatalog(...args);
