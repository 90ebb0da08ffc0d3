import type { z } from 'zod';

/**
 * `const check: Fits<Answer, typeof Schema> = true` fails to compile when what a route answers
 * no longer fits the schema its document shows, for answers typed elsewhere (Temporal, domain).
 */
export type Fits<T, S extends z.ZodType> = T extends z.input<S> ? true : never;
