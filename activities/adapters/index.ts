import type { AgencyEndpoints } from '../../config/config';
import { byAgency, type Agency } from '../../domain/agency';
import { createAgencyAdapter, type AgencyAdapter } from './agency-adapter';

export function createAdapters(endpoints: AgencyEndpoints): Record<Agency, AgencyAdapter> {
  return byAgency((definition, agency) => createAgencyAdapter(definition, endpoints[agency]));
}
