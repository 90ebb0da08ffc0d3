import { kemnakerApi } from '../../../agency-apis/kemnaker';
import type { AgencyEndpoints } from '../../../config/config';
import type { AgencySimulation } from '../ministry-simulator';

export function kemnakerSimulation(credentials: AgencyEndpoints['kemnaker']): AgencySimulation {
  return {
    agency: 'kemnaker',
    referencePrefix: 'ENR',
    expectedAuth: kemnakerApi.authHeaders(credentials),
    requestSecret: credentials.requestSecret,
    cancelRoute: { method: kemnakerApi.cancel.method, path: kemnakerApi.cancel.routePath },
    mount(router, desk) {
      router.put(kemnakerApi.routePath, (req, res) => {
        const received = desk.receive(req, res, kemnakerApi.RequestSchema);
        if (!received) return;
        const { participant, courseCode } = received.body;
        // Our reference is in the path: the enrolment is addressed by it, so it is the key.
        const admission = desk.admit(String(req.params.referenceId), participant.familyCardNumber, () => ({
          attendancePercent: 92,
          passed: true,
          certificateNumber: `BLK-${courseCode.toUpperCase()}-${Date.now().toString(36).toUpperCase()}`,
        }));
        switch (admission.kind) {
          case 'unavailable':
            res.status(503).json({ error: { code: 'SERVICE_UNAVAILABLE', message: 'try again later' } });
            return;
          case 'refused':
            res.status(422).json({ error: { code: 'PARTICIPANT_INELIGIBLE', message: admission.reason } });
            return;
          default:
            res.status(admission.kind === 'opened' ? 201 : 200).json({ enrolmentId: admission.task.agencyReference, state: 'ENROLLED' });
        }
      });
    },
  };
}
