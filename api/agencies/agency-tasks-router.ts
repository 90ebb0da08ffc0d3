import { Router, type Response } from 'express';
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { AgencySchema, type Agency } from '../../domain/agency';
import { TaskIdSchema, parseTaskId } from '../../domain/ids';
import { taskRequestQuery } from '../../workflows/household-run-messages';
import type { ApiDeps } from '../api-deps';
import { AppError } from '../app-error';
import { allow, principalOf } from '../auth/authenticate';
import { parseRequest } from '../parse';
import { ListRunsQuerySchema, listRuns } from '../runs/list-runs';
import { rethrowTemporalError } from '../temporal-errors';

const AgencyParamsSchema = z.object({ agency: AgencySchema });
const TaskParamsSchema = AgencyParamsSchema.extend({ taskId: TaskIdSchema });
const TasksQuerySchema = ListRunsQuerySchema.pick({ pageSize: true, pageToken: true }).extend({
  /** Only open tasks are listed: closed ones are in each run's state. */
  status: z.literal('open').default('open'),
});

/** A ministry sees only its own tasks; staff see any agency's. */
function checkAgencyAccess(res: Response, agency: Agency): void {
  const principal = principalOf(res);
  if (principal.role === 'ministry' && principal.agency !== agency) {
    throw new AppError('forbidden', `${principal.id} may only read ${principal.agency}'s tasks`);
  }
}

/** What an agency owes: its open tasks from visibility, and the full request of one, to catch up. */
export function agencyTasksRouter(deps: ApiDeps): Router {
  const router = Router();
  const readers = allow('ministry', 'viewer', 'coordinator', 'manager');
  router.get('/v1/agencies/:agency/tasks', readers, async (req, res) => {
    const { agency } = parseRequest(AgencyParamsSchema, req.params, 'params');
    checkAgencyAccess(res, agency);
    const query = parseRequest(TasksQuerySchema, req.query, 'query');
    const page = await listRuns(deps, { agency, status: 'running', pageSize: query.pageSize, pageToken: query.pageToken });
    res.json({
      tasks: page.runs
        .filter((run) => run.currentTaskId)
        .map((run) => ({
          taskId: run.currentTaskId,
          runId: run.runId,
          step: run.currentStep,
          householdId: run.householdId,
          region: run.region,
          deadline: run.stepDeadline,
          stuck: run.stuck,
        })),
      nextPageToken: page.nextPageToken,
    });
  });
  router.get('/v1/agencies/:agency/tasks/:taskId', readers, async (req, res) => {
    const { agency, taskId } = parseRequest(TaskParamsSchema, req.params, 'params');
    checkAgencyAccess(res, agency);
    const ref = parseTaskId(taskId)!;
    try {
      const request = await deps.client.workflow.getHandle(ref.runId).query(taskRequestQuery, taskId);
      // Another agency's task is "not found" here: its existence is not this agency's business.
      if (!request || request.agency !== agency) throw new AppError('not_found', `no ${agency} task ${taskId}`);
      res.json(request);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new AppError('not_found', `no ${agency} task ${taskId}`);
      rethrowTemporalError(err);
    }
  });
  return router;
}
