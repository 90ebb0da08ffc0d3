import { existsSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { failureConverterPath } from '../temporal/payload-codec';

/** The workflows' entry file: bundled by the worker at start-up when run from source. */
export const workflowsPath = path.resolve(__dirname, '..', 'workflows', 'index.ts');

/**
 * The bundle `npm run build` writes beside the compiled worker (dist/worker/), so a production
 * worker starts without webpack or the TypeScript sources.
 */
export const prebuiltBundlePath = path.join(__dirname, 'workflows.bundle.js');

/** What a worker runs: the prebuilt bundle when there is one, else the sources, bundled now. */
export function workflowCode(): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  return existsSync(prebuiltBundlePath) ? { workflowBundle: { codePath: prebuiltBundlePath } } : { workflowsPath };
}

const noop = () => undefined;
export const quietBundlerLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** Workflows bundled once per process: tests, benchmarks and recordings share it. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath, failureConverterPath, logger: quietBundlerLogger });
  return bundle;
}
