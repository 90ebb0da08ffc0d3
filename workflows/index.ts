export { householdRun } from './household-run';
export { bulkOperation } from './bulk-operation';
