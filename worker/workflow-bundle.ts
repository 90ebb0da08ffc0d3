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
export function workflowCode(): { workflowBundle: { codePath: string } } | { workflowsPath: string; bundlerOptions: typeof bundlerOptions } {
  return existsSync(prebuiltBundlePath) ? { workflowBundle: { codePath: prebuiltBundlePath } } : { workflowsPath, bundlerOptions };
}

/**
 * What the worker loads once into the workflows' shared V8 context rather than once per workflow
 * (the SDK's preloadModules; it freezes what they export): workflows/sandbox-setup.ts and what it
 * imports, none of it holding a run's state. Part of every bundle, built or from the sources.
 */
export const bundlerOptions = { preloadModules: [path.resolve(__dirname, '..', 'workflows', 'sandbox-setup.ts')] };

const noop = () => undefined;
export const quietBundlerLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** Workflows bundled once per process: tests, benchmarks and recordings share it. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath, failureConverterPath, logger: quietBundlerLogger, ...bundlerOptions });
  return bundle;
}
