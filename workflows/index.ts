export { householdRun } from './household-run';
export { bulkOperation } from './bulk-operation';
export { dailyDigest } from './daily-digest';
export { programCatalog } from './program-catalog';
export { rollout } from './rollout';
export { enrolment } from './enrolment';
