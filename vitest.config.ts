import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The production topology's test starts a cluster of its own: npm run test:cluster (vitest.cluster.config.ts).
    exclude: [...configDefaults.exclude, 'test/cluster/**'],
    // One real Temporal dev server for the whole run.
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/require-typescript.ts'],
    // Native Temporal workers want processes, not threads; two cores, two files at a time.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 90_000,
    hookTimeout: 180_000,
    // The JSON report feeds the plain closing line .ci/run prints (scripts/test-summary.ts).
    reporters: ['default', ['json', { outputFile: 'artefacts/vitest.json' }]],
    // A stack closing its Temporal connection while an abandoned call (e.g. a webhook whose
    // sender was aborted at teardown) is between two retries makes the SDK's retry timer throw
    // on the closed channel. That is teardown, after the file's tests ran; nothing else is hidden.
    onUnhandledError: (error) => !(error.message === 'Channel has been shut down' && (error.stack ?? '').includes('grpc-retry')),
  },
});
