import type { Agency } from './agency';
import type { Title } from './label';
import type { DeadlineBasis, NoticeKind } from './run-state';
import type { StepKind } from './step-kind';

/** What the run tells people about a step's SLA. */
export interface SlaNotice {
  kind: NoticeKind;
  runId: string;
  rolloutId: string;
  region: string;
  stepKey: string;
  stepTitle: Title;
  /** Optional: an activity scheduled by a worker of an earlier version sends notices without it. */
  stepKind?: StepKind;
  agency: Agency;
  taskId: string;
  deadline: string;
  /** How the deadline was counted (working days; years not decreed yet), where the run recorded it. */
  deadlineBasis?: DeadlineBasis;
  /** In rupiah, for a step that moves money (aid disbursement, micro-capital): the plan step's `parameters.amount`. */
  amount?: number;
}
