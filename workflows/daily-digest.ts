import { proxyActivities } from '@temporalio/workflow';
import type { DigestActivities } from '../domain/activity-contracts';
import { activityOptions } from './activity-options';

const { sendDailyDigests } = proxyActivities<DigestActivities>(activityOptions.digest);

/** Started by the daily Schedule: each manager gets one digest of the stuck steps in their regions. */
export async function dailyDigest(): Promise<{ managers: number; stuckSteps: number }> {
  return sendDailyDigests();
}
