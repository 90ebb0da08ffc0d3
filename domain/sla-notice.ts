import type { Agency } from './agency';
import type { GraduationDecision } from './graduation';
import type { Title } from './label';
import type { DeadlineBasis, NoticeKind } from './run-state';
import type { StepKind } from './step-kind';

/**
 * What the run tells people about a deadline it watches: a step's SLA (reminder, breach,
 * escalation), which names the agency's task, or a graduation decision a manager has let pass its
 * approval deadline (decision-overdue), which has no agency or task but the decision awaited.
 */
export interface SlaNotice {
  kind: NoticeKind;
  runId: string;
  rolloutId: string;
  region: string;
  /** The step; a decision's is `graduation-decision`, as the run lists it while the decision is awaited. */
  stepKey: string;
  /** A step's title from the plan; absent for a decision (the e-mail names it). */
  stepTitle?: Title;
  /** Optional: an activity scheduled by a worker of an earlier version sends notices without it. */
  stepKind?: StepKind;
  /** The agency that has the step's task; absent for a decision, which is the manager's. */
  agency?: Agency;
  /** The step's task; absent for a decision. */
  taskId?: string;
  deadline: string;
  /** How the deadline was counted (working days; years not decreed yet), where the run recorded it. */
  deadlineBasis?: DeadlineBasis;
  /** In rupiah, for a step that moves money (aid disbursement, micro-capital): the plan step's `parameters.amount`. */
  amount?: number;
  /** decision-overdue: the assessment whose decision awaits the manager. */
  decision?: AwaitedDecision;
}

/** What the readiness score proposed, for the manager to approve or overrule. */
export interface AwaitedDecision {
  proposed: GraduationDecision;
  options: GraduationDecision[];
  /** 0-100, one decimal. */
  score: number;
  readinessThreshold: number;
  mandatoryMet: boolean;
  /** The visit after which the evidence was scored: one assessment of the run (each extension adds one). */
  assessedAfter: string;
}

/** A notice of an agency's step: a reminder, breach or escalation. */
export type StepNotice = SlaNotice & Required<Pick<SlaNotice, 'stepTitle' | 'agency' | 'taskId'>>;
/** A graduation decision past its approval deadline. */
export type DecisionOverdueNotice = SlaNotice & Required<Pick<SlaNotice, 'decision'>>;

export const isDecisionOverdueNotice = (notice: SlaNotice): notice is DecisionOverdueNotice => notice.kind === 'decision-overdue' && notice.decision !== undefined;
export const isStepNotice = (notice: SlaNotice): notice is StepNotice =>
  notice.kind !== 'decision-overdue' && notice.stepTitle !== undefined && notice.agency !== undefined && notice.taskId !== undefined;
