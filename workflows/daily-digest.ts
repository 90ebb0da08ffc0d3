import { proxyActivities } from '@temporalio/workflow';
import type { DigestActivities } from '../domain/activity-contracts';

const { sendDailyDigests } = proxyActivities<DigestActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '30 seconds', maximumAttempts: 10 },
});

/** Started by the daily Schedule: each manager gets one digest of the stuck steps in their regions. */
export async function dailyDigest(): Promise<{ managers: number; stuckSteps: number }> {
  return sendDailyDigests();
}
