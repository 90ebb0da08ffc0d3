import type { z } from 'zod';

/**
 * A refinement checks either what the API document states too (a pattern, a `not`, an `if`):
 * its failure is bad input like any other; or a rule across fields no JSON Schema can state
 * (keys unique in a list, a value one of another list's), which the API may answer with 422.
 * Refinements of the first kind carry this in their issue's params.
 */
export const statedInDocument = { stated: true } as const;

export const isUnstatedRule = (issue: z.core.$ZodIssue): boolean => issue.code === 'custom' && issue.params?.stated !== true;
