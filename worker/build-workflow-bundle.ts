import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { failureConverterPath } from '../temporal/payload-codec';
import { bundlerOptions, quietBundlerLogger, workflowsPath } from './workflow-bundle';

/**
 * Part of `npm run build`: bundles the workflows once, into dist/worker/workflows.bundle.js,
 * where the compiled worker finds it (see workflowCode).
 */
async function main(): Promise<void> {
  const out = path.resolve(__dirname, '..', 'dist', 'worker', 'workflows.bundle.js');
  // The failure converter goes into the bundle: workflows encode the failures they raise with it.
  const { code } = await bundleWorkflowCode({ workflowsPath, failureConverterPath, logger: quietBundlerLogger, ...bundlerOptions });
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, code);
  console.log(`workflow bundle: ${(code.length / 1024 / 1024).toFixed(2)} MiB in ${path.relative(process.cwd(), out)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
