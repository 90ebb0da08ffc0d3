/** ApplicationFailure types used across workflows, activities and the API. */
export const FailureType = {
  /** The agency said no to the task (not eligible, duplicate beneficiary...): the plan's rejection rule applies. */
  AgencyRejected: 'AgencyRejected',
  /** The agency refused our request as malformed: retrying the same request cannot help. */
  AgencyBadRequest: 'AgencyBadRequest',
  /** The agency is down, overloaded or refused our credentials: retried with backoff. */
  AgencyUnavailable: 'AgencyUnavailable',
  UnknownTask: 'UnknownTask',
  WrongAgency: 'WrongAgency',
  TaskAlreadyClosed: 'TaskAlreadyClosed',
  InvalidResult: 'InvalidResult',
  /** A manager's operation that does not apply to the run as it is. */
  InvalidOperation: 'InvalidOperation',
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

/** Activity failures that retrying cannot fix. */
export const nonRetryableActivityFailures: string[] = [FailureType.AgencyRejected, FailureType.AgencyBadRequest];
