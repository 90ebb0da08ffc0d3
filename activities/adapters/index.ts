import type { AgencyEndpoints } from '../../config/config';
import type { Agency } from '../../domain/agency';
import type { AgencyAdapter } from './agency-adapter';
import { createKemenkopAdapter } from './kemenkop';
import { createKemensosAdapter } from './kemensos';
import { createKemnakerAdapter } from './kemnaker';
import { createPemdaAdapter } from './pemda';

export function createAdapters(endpoints: AgencyEndpoints): Record<Agency, AgencyAdapter> {
  return {
    kemensos: createKemensosAdapter(endpoints.kemensos),
    kemnaker: createKemnakerAdapter(endpoints.kemnaker),
    kemenkop: createKemenkopAdapter(endpoints.kemenkop),
    pemda: createPemdaAdapter(endpoints.pemda),
  };
}
