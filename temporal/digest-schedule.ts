import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import { dailyDigest } from '../workflows/daily-digest';

export interface DigestScheduleOptions {
  scheduleId: string;
  taskQueue: string;
  hour: number;
  timezone: string;
}

/** Creates the daily digest Schedule unless it exists: every worker start-up may call this. */
export async function ensureDigestSchedule(client: Client, options: DigestScheduleOptions): Promise<'created' | 'exists'> {
  try {
    await client.schedule.create({
      scheduleId: options.scheduleId,
      spec: { calendars: [{ hour: options.hour, minute: 0 }], timezone: options.timezone },
      action: { type: 'startWorkflow', workflowType: dailyDigest, taskQueue: options.taskQueue, workflowId: `${options.scheduleId}-run` },
      // A digest missed while everything was down is still worth sending once.
      policies: { catchupWindow: '1 day', overlap: 'SKIP' },
    });
    return 'created';
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return 'exists';
    throw err;
  }
}
