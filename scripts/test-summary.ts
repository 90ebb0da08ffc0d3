import { readFileSync } from 'node:fs';

/**
 * Prints the last vitest run's counts as one plain closing line ("tests: N passed, N failed"),
 * so whoever reads the end of CI's output sees what ran, not the fuzzer's own summary.
 * Usage: node --import tsx scripts/test-summary.ts [artefacts/vitest.json]
 */
const file = process.argv[2] ?? 'artefacts/vitest.json';
const report = JSON.parse(readFileSync(file, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests + report.numTodoTests} skipped`);
