import path from 'node:path';

/** The workflows' entry file, bundled by the worker (and by tests, once per file). */
export const workflowsPath = path.resolve(__dirname, '..', 'workflows', 'index.ts');
