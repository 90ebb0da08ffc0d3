import type { AgencyEndpoints } from '../../config/config';
import { byAgency, type Agency } from '../../domain/agency';
import type { WorkerMetrics } from '../../lib/metrics';
import { createAgencyAdapter, type AgencyAdapter } from './agency-adapter';
import { countedAdapter } from './counted-adapter';

/** One adapter per agency; with metrics, each counts the tasks it opens and its failed attempts. */
export function createAdapters(endpoints: AgencyEndpoints, metrics?: WorkerMetrics): Record<Agency, AgencyAdapter> {
  return byAgency((definition, agency) => {
    const adapter = createAgencyAdapter(definition, endpoints[agency]);
    return metrics ? countedAdapter(adapter, agency, metrics) : adapter;
  });
}
