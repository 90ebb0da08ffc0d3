import { register } from 'tsx/cjs/api';
import { inject } from 'vitest';

// The Temporal SDK require()s the failure converter by its path (temporal/failure-converter),
// with Node's own require, which vitest does not transform: let it read TypeScript, as tsx does
// for `npm start` (the compiled build finds the .js). Once per process, however many files it runs.
const registered = Symbol.for('sinergi.require-typescript');
const processState = process as unknown as Record<symbol, boolean>;
if (!processState[registered]) {
  register();
  processState[registered] = true;
}

// Every stack a test starts keeps its records in a database of its own on the run's PostgreSQL.
process.env.SINERGI_TEST_DATABASE_URL = inject('databaseUrl');
