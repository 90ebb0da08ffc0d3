export { householdRun } from './household-run';
