import { isGrpcServiceError } from '@temporalio/client';
import { status } from '@grpc/grpc-js';
import { AppError } from './app-error';

const unavailableCodes = new Set<number>([status.UNAVAILABLE, status.DEADLINE_EXCEEDED, status.CANCELLED, status.RESOURCE_EXHAUSTED]);

/** Temporal out of reach or overloaded: the caller should retry (ministries do, on 503). */
export function isTemporalUnavailable(err: unknown): boolean {
  for (let e: unknown = err; e; e = e instanceof Error ? e.cause : undefined) {
    if (isGrpcServiceError(e) && unavailableCodes.has(e.code)) return true;
    if (e instanceof Error && e.name === 'ServiceError' && /unavailable|deadline|connect/i.test(e.message)) return true;
  }
  return false;
}

export function temporalUnavailable(cause: unknown): AppError {
  return new AppError('unavailable', 'the workflow service is unavailable, retry later', { retryAfterSeconds: 5, cause });
}

/** Rethrows Temporal outages as 503 and everything else unchanged. */
export function rethrowTemporalError(err: unknown): never {
  if (err instanceof AppError) throw err;
  if (isTemporalUnavailable(err)) throw temporalUnavailable(err);
  throw err;
}
