import type { ApiMetrics, OperationLabel } from '../lib/metrics';
import { AppError } from './app-error';

/** Counts a manager's operation by how it ended; its answer, or its error, goes on unchanged. */
export async function countOperation<T>(metrics: ApiMetrics, op: OperationLabel, done: 'applied' | 'started', operation: () => Promise<T>): Promise<T> {
  try {
    const answer = await operation();
    metrics.operationEnded(op, done);
    return answer;
  } catch (err) {
    const code = err instanceof AppError ? err.code : undefined;
    metrics.operationEnded(op, code === 'conflict' ? 'refused' : code === 'not_found' ? 'not_found' : 'error');
    throw err;
  }
}
