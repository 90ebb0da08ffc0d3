import { AppError } from './app-error';

// node-postgres: the server refused, dropped or shut the connection, or had none to give. (Not a
// client's reset, nor an unknown host: a setting to fix, a 500 logged as an error.)
const unavailableCodes = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006']);
const unavailableMessages = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)|is not currently accepting connections/;

/** The records store (PostgreSQL) out of reach: the caller should retry, as for Temporal. */
export function isRecordsUnavailable(err: unknown): boolean {
  for (let e: unknown = err; e; e = e instanceof Error ? e.cause : undefined) {
    if (e instanceof AggregateError && e.errors.some(isRecordsUnavailable)) return true;
    const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
    if (unavailableCodes.has(code) || (e instanceof Error && unavailableMessages.test(e.message))) return true;
  }
  return false;
}

export function recordsUnavailable(cause: unknown): AppError {
  return new AppError('unavailable', 'the records store is unavailable, retry later', { retryAfterSeconds: 5, cause });
}
