import type { FailoverError } from '../errors/failover-error.js';
import type { ObservedState } from '../journal/journal-entry.js';
import type { ActionStep } from '../plan/step.js';
import type { NodePool } from '../providers/cluster/node-pool.js';
import type { DatabaseDesiredState } from '../providers/database/database-desired-state.js';
import { type DatabaseTopology, writerRegion } from '../providers/database/database-topology.js';
import type { DnsRecordSet } from '../providers/dns/dns-record-set.js';
import type { OperationHandle } from '../providers/operation-handle.js';
import type { ResourceJson } from '../providers/resource/resource-json.js';
import { err, ok, type Result } from '../result.js';
import { lookupProvider } from './lookup-provider.js';
import { callProvider } from './provider-call.js';
import { undoResource } from './resource-undo.js';
import { type CallScope, remainingMs } from './run-context.js';

/** How to undo one completed action, or why it cannot be undone. */
export type UndoPlan =
  | { irreversible: string }
  | { undo: (scope: CallScope) => Promise<Result<void, FailoverError>> };

/**
 * Restores the state observed before the action:
 * - dns: `ensureRecordSet(before)`, then wait for the change (unless `waitForSync` is false);
 * - scale: `ensureSize` back to the before desired/min/max, then wait for the pool;
 * - resource: `ensureResource` of the provider's `restoreOf(before)` (default: `before`),
 *   then wait (unless `waitForCompletion` is false);
 * - database, only when the step is marked `reversible`: `ensureWriter` back to the
 *   before writer region in `planned` mode (no data loss), then wait.
 * Not reversible: a step marked `rollback: 'never'`, a step with `reversible: false` (database steps by default), and a
 * DNS step that created its record set (the DNS interface has no delete).
 */
export function planUndo(step: ActionStep, before: ObservedState): UndoPlan {
  const spec = step.action;
  if (step.rollback === 'never') return { irreversible: `Step ${step.id} is marked rollback: 'never'.` };
  const reversible = step.reversible ?? spec.type !== 'database';
  if (!reversible) return { irreversible: `Step ${step.id} is not reversible.` };
  if (before === null) {
    return { irreversible: `Step ${step.id} created its record set; DNS providers cannot delete one.` };
  }
  switch (spec.type) {
    case 'dns': {
      const recordSet = withoutObservedFields(before as DnsRecordSet);
      return {
        undo: async (scope) => {
          const found = lookupProvider(scope.ctx.providers, spec.provider, 'dns');
          if (found.isErr()) return err(found.error);
          const dns = found.value;
          const ensured = await callProvider(
            scope,
            spec.provider,
            dns.provider,
            'mutate',
            'ensureRecordSet',
            (o) => dns.ensureRecordSet(spec.record, recordSet, o),
          );
          if (ensured.isErr()) return err(ensured.error);
          const handle = ensured.value.handle;
          if (!handle || spec.waitForSync === false) return ok(undefined);
          return callProvider(scope, spec.provider, dns.provider, 'wait', 'waitForChange', (o) =>
            dns.waitForChange(handle, { ...o, timeoutMs: remainingMs(scope) }),
          );
        },
      };
    }
    case 'scale': {
      const pool = before as NodePool;
      return {
        undo: async (scope) => {
          const found = lookupProvider(scope.ctx.providers, spec.provider, 'cluster');
          if (found.isErr()) return err(found.error);
          const cluster = found.value;
          const ensured = await callProvider(
            scope,
            spec.provider,
            cluster.provider,
            'mutate',
            'ensureSize',
            (o) => cluster.ensureSize(spec.pool, { desired: pool.desired, min: pool.min, max: pool.max }, o),
          );
          if (ensured.isErr()) return err(ensured.error);
          const handle = ensured.value.handle;
          if (!handle || spec.waitForReady === false) return ok(undefined);
          return waited(
            callProvider(scope, spec.provider, cluster.provider, 'wait', 'waitForPool', (o) =>
              cluster.waitForPool(handle, { ...o, timeoutMs: remainingMs(scope) }),
            ),
          );
        },
      };
    }
    case 'database': {
      const topology = before as DatabaseTopology;
      const region = writerRegion(topology);
      const previous = topology.members.find((member) => member.role === 'writer');
      if (region === undefined || previous === undefined) {
        return { irreversible: `Step ${step.id}: there was no single writer before it to move back to.` };
      }
      // Back to the writer observed before, as precisely as the step moved it (member, zone).
      const restored: DatabaseDesiredState = {
        region,
        mode: 'planned',
        ...(spec.memberId !== undefined && { memberId: previous.id }),
        ...(spec.zone !== undefined && previous.zone !== undefined && { zone: previous.zone }),
      };
      return {
        undo: async (scope) => {
          const found = lookupProvider(scope.ctx.providers, spec.provider, 'database');
          if (found.isErr()) return err(found.error);
          const db = found.value;
          const ensured = await callProvider(
            scope,
            spec.provider,
            db.provider,
            'mutate',
            'ensureWriter',
            (o) => db.ensureWriter(spec.database, restored, o),
          );
          if (ensured.isErr()) return err(ensured.error);
          const handle: OperationHandle | undefined = ensured.value.handle;
          if (!handle) return ok(undefined);
          return waited(
            callProvider(scope, spec.provider, db.provider, 'wait', 'waitForWriter', (o) =>
              db.waitForWriter(handle, { ...o, timeoutMs: remainingMs(scope) }),
            ),
          );
        },
      };
    }
    case 'resource':
      return { undo: (scope) => undoResource(scope, spec, before as ResourceJson) };
    default:
      return { irreversible: `Step ${(step as ActionStep).id} has an unknown action type.` };
  }
}

async function waited<T>(result: Promise<Result<T, FailoverError>>): Promise<Result<void, FailoverError>> {
  return (await result).map(() => undefined);
}

/** A record set as a desired state: observed-only fields (health) dropped. */
function withoutObservedFields(recordSet: DnsRecordSet): DnsRecordSet {
  return {
    ...recordSet,
    targets: recordSet.targets.map(({ health: _health, ...target }) => target),
  };
}
