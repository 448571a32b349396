import { type CallOptions, err, type FailoverError, ok, type Result } from '@failover/core';
import { gcpCall } from './gcp-call.js';
import type { GcpClients } from './gcp-clients.js';
import { operationFailure } from './gcp-error.js';

const provider = 'gcp.sql';

/** Where a Cloud SQL operation stands: finished without errors, or still running with its status. */
export type SqlOperationProgress = { done: true } | { done: false; status: string };

/**
 * Reads a Cloud SQL operation once (`operations.get`). A finished operation that carries
 * errors is a failure of `operation`, the call that started it.
 */
export async function readSqlOperation(
  clients: GcpClients,
  project: string,
  operationName: string,
  operation: string,
  call: CallOptions | undefined,
): Promise<Result<SqlOperationProgress, FailoverError>> {
  const op = await gcpCall(provider, 'operations.get', false, call, async (signal) => {
    const sql = await clients.sqladmin();
    return (
      await sql.operations.get(
        { project, operation: operationName },
        clients.methodOptions('sqladmin', signal),
      )
    ).data;
  });
  if (op.isErr()) return err(op.error);
  if (op.value.status !== 'DONE') return ok({ done: false, status: op.value.status ?? 'PENDING' });
  const errors = op.value.error?.errors ?? [];
  if (errors.length > 0) return err(operationFailure(provider, operation, operationName, errors));
  return ok({ done: true });
}
