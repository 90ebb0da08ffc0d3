import { Router, type Response } from 'express';
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { AgencySchema, type Agency } from '../../domain/agency';
import { TaskIdSchema, parseTaskId } from '../../domain/ids';
import { TaskRequestSchema } from '../../domain/task-request';
import { requestOfTask } from '../../domain/run-machine';
import type { ApiDeps } from '../api-deps';
import type { ApiRoutes } from '../api-routes';
import { AppError } from '../app-error';
import { principalOf } from '../auth/authenticate';
import { scopeOf } from '../auth/principal';
import { readOpenTasks, type TaskCursor } from '../../records/read-tasks';
import type { RegionScope } from '../../domain/region-scope';
import { ListRunsQuerySchema } from '../runs/list-runs';
import { openPageToken, pageNotFound, pageNotFoundResponse, sealPageToken } from '../runs/page-token';
import { readRunInput, readRunState } from '../runs/read-run-state';
import { HouseholdKeyFieldSchema } from '../runs/run-responses';
import { resolveTaskId, resolvedParam } from '../runs/run-ref';
import { rethrowTemporalError } from '../temporal-errors';

const AgencyParamsSchema = z.object({ agency: AgencySchema });
const TaskParamsSchema = AgencyParamsSchema.extend({ taskId: TaskIdSchema });
const TasksQuerySchema = ListRunsQuerySchema.pick({ pageSize: true, pageToken: true }).extend({
  /** Only open tasks are listed: closed ones are in each run's state. */
  status: z.literal('open').default('open'),
});
const optional = z.string().optional();
const OpenTasksSchema = z.object({
  tasks: z.array(
    z.object({ taskId: z.string(), runId: z.string(), step: optional, householdKey: HouseholdKeyFieldSchema.optional(), region: optional, deadline: optional, stuck: z.boolean() }),
  ),
  nextPageToken: optional,
});

/** A ministry sees only its own tasks; staff see any agency's, in their regions. */
function checkAgencyAccess(res: Response, agency: Agency): void {
  const principal = principalOf(res);
  if (principal.role === 'ministry' && principal.agency !== agency) {
    throw new AppError('forbidden', `${principal.id} may only read ${principal.agency}'s tasks`);
  }
}

/** The listing a page token belongs to: one agency's tasks in one scope. */
const listingOf = (agency: Agency, scope: RegionScope) => `agency-tasks\n${agency}\n${JSON.stringify(scope)}`;

/** A page token: where the last page ended, sealed to its listing (api/runs/page-token.ts). */
function cursorOf(token: string, listing: string, secret?: string): TaskCursor {
  const [deadline, runId] = JSON.parse(Buffer.from(openPageToken(token, listing, secret), 'base64url').toString('utf8')) as unknown[];
  if (typeof deadline !== 'string' || typeof runId !== 'string') throw pageNotFound();
  return { deadline, runId };
}
const tokenOf = (cursor: TaskCursor, listing: string, secret?: string) =>
  sealPageToken(Buffer.from(JSON.stringify([cursor.deadline, cursor.runId])).toString('base64url'), listing, secret);

/** What an agency owes: its open tasks from the records store, and the full request of one, to catch up. */
export function agencyTasksRouter(deps: ApiDeps, routes: ApiRoutes): Router {
  const router = Router();
  // A task of a run named by KK is the task of the run Temporal knows by the household's pseudonym.
  router.param('taskId', resolvedParam((taskId) => resolveTaskId(deps, taskId)));
  const readers = ['ministry', 'viewer', 'coordinator', 'manager'] as const;
  routes.add(
    router,
    'get',
    '/v1/agencies/:agency/tasks',
    {
      summary: "An agency's open tasks, soonest deadline first (a ministry sees only its own; a person limited to regions, those in them)",
      roles: readers,
      params: AgencyParamsSchema,
      query: TasksQuerySchema,
      responses: { 200: { description: 'open tasks', schema: OpenTasksSchema }, ...pageNotFoundResponse },
    },
    async ({ params: { agency }, query }, _req, res) => {
      checkAgencyAccess(res, agency);
      const scope = scopeOf(principalOf(res));
      const listing = listingOf(agency, scope);
      const after = query.pageToken === undefined ? undefined : cursorOf(query.pageToken, listing, deps.pageTokenSecret);
      const page = await readOpenTasks(deps.records, agency, scope, query.pageSize, after);
      res.json({
        tasks: page.tasks,
        nextPageToken: page.next && tokenOf(page.next, listing, deps.pageTokenSecret),
      });
    },
  );
  routes.add(
    router,
    'get',
    '/v1/agencies/:agency/tasks/:taskId',
    {
      summary: 'The request sent for one task, for an agency catching up',
      roles: readers,
      params: TaskParamsSchema,
      responses: { 200: { description: 'the task request', schema: TaskRequestSchema }, 404: { description: "no such task of this agency, or one of a run outside the caller's regions (answered alike)" } },
    },
    async ({ params: { agency, taskId } }, _req, res) => {
      checkAgencyAccess(res, agency);
      const ref = parseTaskId(taskId)!;
      const notFound = () => new AppError('not_found', `no ${agency} task ${taskId}`);
      try {
        // A person limited to regions reads no task of a run outside them: not found, like an unknown one.
        // The run as recorded and its input, never a query (api/runs/read-run-state.ts).
        const { description, state } = await readRunState(deps, ref.runId, scopeOf(principalOf(res)));
        const request = requestOfTask(state, await readRunInput(deps.client, description), taskId);
        // Another agency's task is "not found" here: its existence is not this agency's business.
        if (!request || request.agency !== agency) throw notFound();
        res.json(request);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError || (err instanceof AppError && err.code === 'not_found')) throw notFound();
        rethrowTemporalError(err);
      }
    },
  );
  return router;
}
