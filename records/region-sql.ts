import { RegionPrefixSchema } from '../domain/household';
import type { RegionScope } from '../domain/region-scope';

/**
 * A SQL condition limiting `runs.region` to a scope, its values appended to `params`: none for
 * national; for prefixes, the region equal to one or below it at a dot (as domain/region-scope.ts
 * reads a prefix); for nowhere ([]), false.
 */
export function regionCondition(scope: RegionScope, params: unknown[], column = 'region'): string | undefined {
  if (scope === 'national') return undefined;
  if (scope.length === 0) return 'false';
  params.push(scope.map((p) => RegionPrefixSchema.parse(p)));
  const list = `$${params.length}::text[]`;
  // LIKE patterns of a prefix: its digits and dots carry no LIKE wildcard.
  return `(${column} = ANY(${list}) OR ${column} LIKE ANY(SELECT p || '.%' FROM unnest(${list}) AS p))`;
}

/** `WHERE a AND b ...` of the conditions given (undefined ones left out); empty when none. */
export const where = (...conditions: (string | undefined)[]) => {
  const present = conditions.filter(Boolean);
  return present.length ? `WHERE ${present.join(' AND ')}` : '';
};
