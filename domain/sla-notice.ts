import type { Agency } from './agency';

/** What the run tells people about a step's SLA. */
export interface SlaNotice {
  kind: 'reminder' | 'breach' | 'escalation';
  runId: string;
  rolloutId: string;
  region: string;
  stepKey: string;
  stepTitle: string;
  agency: Agency;
  taskId: string;
  deadline: string;
}
