import type { Agency } from './agency';

/** Each agency's activities poll their own queue, so a slow ministry never starves the others. */
export function agencyTaskQueue(workflowTaskQueue: string, agency: Agency): string {
  return `${workflowTaskQueue}.${agency}`;
}
