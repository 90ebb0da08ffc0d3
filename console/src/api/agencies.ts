import type { paths } from './schema';

export type Agency = NonNullable<NonNullable<paths['/v1/stuck']['get']['parameters']['query']>['agency']>;

// Keyed by the generated type, so an agency added to the API breaks the console's type-check until it is listed here.
const listed: Record<Agency, true> = { kemensos: true, kemnaker: true, kemenkop: true, pemda: true };

/** The agencies the API knows, for filters and reassignment. */
export const agencies = Object.keys(listed) as Agency[];
