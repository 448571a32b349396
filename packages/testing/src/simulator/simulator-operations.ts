import type { OperationHandle } from '@failover/core';

/** A remote operation the simulator started (a DNS change, a switchover, a pool update). */
export interface SimulatedOperationRecord {
  /** The id in the handle, e.g. `dns-change-3`. */
  readonly id: string;
  readonly type:
    | 'dns-change'
    | 'database-switchover'
    | 'database-failover'
    | 'pool-update'
    | 'resource-update';
  /** What it changes: `zone/name/type`, a database id, `cluster/pool`. */
  readonly resource: string;
  readonly provider: string;
  readonly startedAt: number;
  /** When it finishes; unset when it was made `stuck` (it never finishes). */
  readonly completesAt?: number;
  /** The handle the ensure call returned. */
  readonly handle: OperationHandle;
}
