import { syntheticCohortCsv } from './synthetic-cohort';

/**
 * Writes a synthetic, valid cohort CSV to standard output, for demos and load tests.
 * Usage: npx tsx scripts/synthetic-cohort.ts [households=1000] [first=0]
 */
async function main(): Promise<void> {
  const [count = 1_000, first = 0] = process.argv.slice(2).map(Number);
  for (const line of syntheticCohortCsv(count, 9, first)) {
    if (!process.stdout.write(line)) await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
  }
}

void main();
