import { kemenkop } from './kemenkop';
import { kemensos } from './kemensos';
import { kemnaker } from './kemnaker';
import { pemda } from './pemda';

/** The one list of agencies: everything else (schemas, config keys, adapters, simulators) derives from it. */
export const agencyDefinitions = [kemensos, kemnaker, kemenkop, pemda] as const;
