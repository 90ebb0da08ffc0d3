import { defineConfig } from 'vitest/config';

/**
 * npm run test:cluster: the production topology without Docker (test/cluster/), apart from npm
 * test. Each file starts its own cluster, so no global setup; one file at a time on two cores.
 */
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 600_000,
    hookTimeout: 300_000,
  },
});
