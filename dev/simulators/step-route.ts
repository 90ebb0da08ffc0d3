import type { Router } from 'express';
import type { SimulatedAnswer, StepContract } from '../../agencies/agency-definition';
import type { MinistryDesk } from './ministry-simulator';

export const routerMethod = { POST: 'post', PUT: 'put', DELETE: 'delete' } as const;

/**
 * Serves one step kind of an agency's API as its definition describes it: checks the request,
 * opens the task once per task key, and answers in the agency's own words.
 */
export function mountStepRoute(router: Router, step: StepContract, desk: MinistryDesk): void {
  const { request, simulator } = step;
  router[routerMethod[request.method]](request.path, (req, res) => {
    const received = desk.receive(req, res, request.schema, request.idempotencyHeader ? [request.idempotencyHeader] : []);
    if (!received) return;
    const params = Object.fromEntries(Object.entries(req.params).map(([name, value]) => [name, String(value)]));
    const taskKey = simulator.taskKey({ ...received, params });
    if (!taskKey) {
      res.status(400).json({ error: 'invalid request', fields: [{ field: 'task key', message: 'required' }] });
      return;
    }
    const admission = desk.admit(taskKey, simulator.householdId(received.body), () => simulator.result(received.body));
    const answer: SimulatedAnswer =
      admission.kind === 'unavailable'
        ? simulator.answers.unavailable()
        : admission.kind === 'refused'
          ? simulator.answers.refused(admission.reason)
          : simulator.answers[admission.kind](admission.task.agencyReference);
    res.status(answer.status).json(answer.body);
  });
}
