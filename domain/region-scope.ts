import { RegionPrefixSchema } from './household';
import { Region } from './search-attributes';

/**
 * Where a principal may see and act: everywhere ('national'), or only the households under these
 * region prefixes (`35`, `35.09`, `35.09.01`...). Intersected with a request's own region filter
 * it is also what a query is limited to, and then may be empty: nowhere, an empty answer.
 */
export type RegionScope = 'national' | readonly string[];

/** Whether `region` (a village code or any prefix) lies under `prefix`: equal, or below it at a dot. */
const under = (region: string, prefix: string) => region === prefix || region.startsWith(`${prefix}.`);

/** Whether a village code (a household), or the whole of a region given by a prefix, is in the scope. */
export function inScope(scope: RegionScope, villageCode: string): boolean {
  return scope === 'national' || scope.some((prefix) => under(villageCode, prefix));
}

/**
 * The scope limited to a requested region filter: a filter inside the scope is the filter; a
 * broader one gives the scope's prefixes under it; a disjoint one gives nothing ([]). No filter
 * leaves the scope as it is. Prefixes under another of the scope are dropped, so none repeats.
 */
export function narrowScope(scope: RegionScope, requested?: string): RegionScope {
  if (requested === undefined) return scope === 'national' ? scope : outermost(scope);
  if (scope === 'national' || scope.some((prefix) => under(requested, prefix))) return [requested];
  return outermost(scope.filter((prefix) => under(prefix, requested)));
}

function outermost(prefixes: readonly string[]): string[] {
  const unique = [...new Set(prefixes)].sort();
  return unique.filter((p) => !unique.some((q) => q !== p && under(p, q)));
}

/**
 * The visibility clause limiting runs to a scope: none for national; `(Region STARTS_WITH 'a' OR
 * Region STARTS_WITH 'b')` for prefixes; and for nowhere one no run matches (Region is always a
 * village code of digits). Each prefix is checked against its strict pattern before it is quoted.
 */
export function regionClause(scope: RegionScope): string | undefined {
  if (scope === 'national') return undefined;
  const prefixes = scope.map((prefix) => `${Region.name} STARTS_WITH '${RegionPrefixSchema.parse(prefix)}'`);
  return prefixes.length ? `(${prefixes.join(' OR ')})` : `${Region.name} = 'none'`;
}

/** A query with the scope's clause added (AND) when there is one. */
export function withRegionClause(query: string, scope: RegionScope): string {
  const clause = regionClause(scope);
  return clause ? `${query} AND ${clause}` : query;
}

/** The scope as the API states it: absent for national, the prefixes otherwise. */
export const regionsOfScope = (scope: RegionScope): string[] | undefined => (scope === 'national' ? undefined : [...scope]);
