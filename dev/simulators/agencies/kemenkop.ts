import { kemenkopApi } from '../../../agency-apis/kemenkop';
import type { AgencyEndpoints } from '../../../config/config';
import type { AgencySimulation } from '../ministry-simulator';

export function kemenkopSimulation(credentials: AgencyEndpoints['kemenkop']): AgencySimulation {
  return {
    agency: 'kemenkop',
    referencePrefix: 'UMI',
    expectedAuth: kemenkopApi.authHeaders(credentials),
    requestSecret: credentials.requestSecret,
    cancelRoute: { method: kemenkopApi.cancel.method, path: kemenkopApi.cancel.routePath },
    mount(router, desk) {
      router.post(kemenkopApi.path, (req, res) => {
        const received = desk.receive(req, res, kemenkopApi.RequestSchema, [kemenkopApi.idempotencyHeader]);
        if (!received) return;
        const { body, headers } = received;
        // The Idempotency-Key header is the key; externalRef carries the same id for their books.
        const admission = desk.admit(headers[kemenkopApi.idempotencyHeader], body.applicant.kk, () => ({
          amount: body.requestedAmount,
          scheme: body.scheme,
          accountNumber: `0${body.applicant.kk.slice(-9)}`,
        }));
        switch (admission.kind) {
          case 'unavailable':
            res.status(503).json({ message: 'temporarily unavailable' });
            return;
          case 'refused':
            res.status(422).json({ rejected: true, reasonCode: 'NOT_ELIGIBLE', reasonText: admission.reason });
            return;
          default:
            // 202 for a new and a repeated key alike: the application is received, decided later.
            res.status(202).json({ applicationNo: admission.task.agencyReference, status: 'RECEIVED' });
        }
      });
    },
  };
}
