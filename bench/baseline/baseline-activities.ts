import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { stepDoneUpdate } from './baseline-workflow';

/** Opening a step does nothing but have the answer sent at once, as an update from outside. */
export function createBaselineActivities(client: Client) {
  return {
    async openStep(step: number): Promise<void> {
      const workflowId = Context.current().info.workflowExecution?.workflowId;
      if (!workflowId) throw new Error('openStep runs only inside a workflow');
      setImmediate(() => {
        void client.workflow
          .getHandle(workflowId)
          .executeUpdate(stepDoneUpdate, {
            args: [step],
            updateId: `${workflowId}:${step}`,
          })
          .catch((err: unknown) => console.error('baseline update failed', err));
      });
    },
    /** bench:webhooks' baseline: the task is open; its reports come from the benchmark. */
    async openTask(step: number): Promise<number> {
      return step;
    },
  };
}
export type BaselineActivities = ReturnType<typeof createBaselineActivities>;
