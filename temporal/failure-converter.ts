import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failures as Temporal keeps them, with their message and stack trace moved into the failure's
 * encoded attributes: a payload, which the codec encrypts like any other. An agency's reason for
 * turning a household away, or an error quoting a value, may name a person; the history shows
 * only "Encoded failure". Loaded by path (the SDK requires it, and bundles it into workflows).
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
