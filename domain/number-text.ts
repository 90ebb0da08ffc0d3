import { z } from 'zod';

const decimal = /^-?[0-9]+(\.[0-9]+)?$/;

/**
 * A number written in a query or path, read by `schema` (a z.coerce.number() with its bounds)
 * from decimal digits only: Number() reads empty text, spaces and null as 0, and the document's
 * number is none of them.
 */
export const numberText = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => ((typeof value === 'string' && decimal.test(value)) || typeof value === 'number' ? value : Number.NaN), schema);
