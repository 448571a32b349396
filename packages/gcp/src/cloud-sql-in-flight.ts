import { type CallOptions, err, type FailoverError, ok, type Result } from '@failover/core';
import type { sqladmin_v1 } from '@googleapis/sqladmin';
import { gcpCall } from './gcp-call.js';
import type { GcpClients } from './gcp-clients.js';

const provider = 'gcp.sql';

/** The interface's name of each Cloud SQL operation type that moves the writer. */
export const writerOperations = {
  SWITCHOVER: 'instances.switchover',
  PROMOTE_REPLICA: 'instances.promoteReplica',
  FAILOVER: 'instances.failover',
} as const;

export type WriterOperationName = (typeof writerOperations)[keyof typeof writerOperations];

/**
 * The writer-moving operation still running on `instance`, if any (`operations.list`
 * for the instance, newest first). A switchover whose answer was lost is found here
 * and waited on, instead of being sent again (Cloud SQL would answer 409).
 */
export async function runningWriterOperation(
  clients: GcpClients,
  project: string,
  instance: string,
  call: CallOptions | undefined,
): Promise<
  Result<{ op: sqladmin_v1.Schema$Operation; operation: WriterOperationName } | undefined, FailoverError>
> {
  const listed = await gcpCall(provider, 'operations.list', false, call, async (signal) => {
    const sql = await clients.sqladmin();
    return (
      await sql.operations.list(
        { project, instance, maxResults: 20 },
        clients.methodOptions('sqladmin', signal),
      )
    ).data;
  });
  if (listed.isErr()) return err(listed.error);
  for (const op of listed.value.items ?? []) {
    if (op.status === 'DONE' || !op.name) continue;
    const operation = writerOperations[op.operationType as keyof typeof writerOperations];
    if (operation && (op.targetId ?? instance) === instance) return ok({ op, operation });
  }
  return ok(undefined);
}
