/**
 * Run once in the workflows' shared V8 context as the worker creates it, before the SDK freezes
 * the context's globals (a preloaded module: worker/workflow-bundle.ts). Never imported by a
 * workflow, and imports nothing: everything a preloaded module loads is shared by every run and
 * frozen by the SDK, which zod, for one, does not survive (it resets a RegExp's lastIndex).
 *
 * The SDK records a stack trace for every promise workflow code creates (for the stack-trace
 * query), mapped through the bundle's source map frame by frame: in a CPU profile of the worker
 * that was a fifth of the workflow thread (bench/README.md). V8 reads the depth of that trace
 * from this context's Error, so a shallower one costs less per promise. Six frames are the
 * SDK's two of its own hook and four of workflow code: enough to see where a run waits, which
 * is what the stack-trace query is for; an error a workflow raises carries six frames too.
 */
Error.stackTraceLimit = 6;

export {};
