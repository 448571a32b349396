import {
  type CallOptions,
  errAsync,
  FailoverError,
  type FailoverResult,
  okAsync,
  type Time,
} from '@failover/core';
import { type KubernetesConnection, kubernetesProvider, withCallOptions } from './kubernetes-connection.js';
import type { KubernetesKindHandler } from './kubernetes-resource-handler.js';
import type {
  VeleroBackupCondition,
  VeleroBackupResourceRef,
  VeleroRestoreDesired,
  VeleroRestoreObserved,
  VeleroRestoreResourceRef,
} from './kubernetes-resource-types.js';
import { createVeleroRestorer, type VeleroRestoreScope } from './kubernetes-velero.js';

type RestoreHandler = KubernetesKindHandler<
  VeleroRestoreResourceRef,
  VeleroRestoreObserved,
  VeleroRestoreDesired
>;
type BackupHandler = KubernetesKindHandler<
  VeleroBackupResourceRef,
  VeleroRestoreObserved,
  never,
  VeleroBackupCondition
>;

const scopeFields = [
  'includedNamespaces',
  'excludedNamespaces',
  'includedResources',
  'excludedResources',
] as const;
const group = { group: 'velero.io', version: 'v1' };

interface VeleroObject {
  metadata?: { name?: string };
  spec?: Record<string, unknown>;
  status?: { phase?: string; completionTimestamp?: string; errors?: number };
}

/**
 * Velero restores as resource steps: a restore of the schedule's latest
 * backup (fresh enough, Completed, no errors) with the given filters, made
 * once: a matching restore already Completed is done, one New or InProgress
 * is waited on, not created again. A restore cannot be undone.
 */
export function createVeleroHandlers(settings: {
  connection: KubernetesConnection;
  time: Time;
  /** How long a restore usually takes; default 5 minutes. */
  restoreMs: number;
}): { restore: RestoreHandler; backup: BackupHandler } {
  const { connection, time } = settings;

  const list = (
    conn: KubernetesConnection,
    namespace: string,
    plural: string,
    operation: string,
    labelSelector?: string,
  ) =>
    conn
      .call(operation, () =>
        conn.customObjects().listNamespacedCustomObject({
          ...group,
          namespace,
          plural,
          ...(labelSelector && { labelSelector }),
        }),
      )
      .map((answer) => ((answer as { items?: VeleroObject[] }).items ?? []) as VeleroObject[]);

  const observe = (
    ref: VeleroRestoreResourceRef | VeleroBackupResourceRef,
    options?: CallOptions,
  ): FailoverResult<VeleroRestoreObserved> => {
    const conn = withCallOptions(connection, options);
    const namespace = ref.namespace ?? 'velero';
    return list(conn, namespace, 'backups', 'listBackups', `velero.io/schedule-name=${ref.schedule}`).andThen(
      (backups) => {
        const newest = backups
          .filter((b) => b.status?.completionTimestamp)
          .sort(
            (a, b) =>
              Date.parse(b.status?.completionTimestamp as string) -
              Date.parse(a.status?.completionTimestamp as string),
          )[0];
        const latestBackup = newest && {
          name: newest.metadata?.name ?? '',
          phase: newest.status?.phase ?? '',
          ageMs: time.now() - Date.parse(newest.status?.completionTimestamp as string),
          errors: newest.status?.errors ?? 0,
        };
        if (ref.kind === 'Backup')
          return okAsync({ ...(latestBackup && { latestBackup }), restored: false, restores: [] });
        return list(conn, namespace, 'restores', 'listRestores').map((restores) => {
          const ofLatest = restores
            .filter((r) => latestBackup !== undefined && r.spec?.backupName === latestBackup.name)
            .map((r) => ({
              name: r.metadata?.name ?? '',
              backupName: String(r.spec?.backupName ?? ''),
              phase: r.status?.phase || 'New',
              scope: Object.fromEntries(
                scopeFields.flatMap((f) =>
                  Array.isArray(r.spec?.[f]) ? [[f, [...(r.spec[f] as string[])].sort()]] : [],
                ),
              ),
            }))
            .sort((a, b) => a.name.localeCompare(b.name));
          return {
            ...(latestBackup && { latestBackup }),
            restored: ofLatest.some((r) => r.phase === 'Completed'),
            restores: ofLatest,
          };
        });
      },
    );
  };

  const scopeOf = (desired: VeleroRestoreDesired): VeleroRestoreScope =>
    Object.fromEntries(
      scopeFields.flatMap((f) => (desired[f]?.length ? [[f, [...(desired[f] as string[])].sort()]] : [])),
    );
  const sameScope = (a: Record<string, string[]>, b: Record<string, string[]>) =>
    JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
  const restoreOfLatest = (
    desired: VeleroRestoreDesired,
    observed: VeleroRestoreObserved,
    phases: string[],
  ) =>
    observed.restores.find(
      (r) =>
        r.backupName === observed.latestBackup?.name &&
        phases.includes(r.phase) &&
        sameScope(r.scope, scopeOf(desired) as Record<string, string[]>),
    );

  const backupRefusal = (observed: VeleroRestoreObserved, schedule: string, maxAgeMs: number) => {
    const backup = observed.latestBackup;
    if (!backup) return refusal('not-found', `schedule "${schedule}" has no finished backup`);
    if (backup.phase !== 'Completed' || backup.errors > 0)
      return refusal(
        'precondition-failed',
        `backup ${backup.name} is ${backup.phase} with ${backup.errors} errors`,
      );
    if (backup.ageMs > maxAgeMs)
      return refusal(
        'precondition-failed',
        `backup ${backup.name} is ${Math.round(backup.ageMs / 1000)} s old, more than the ${Math.round(maxAgeMs / 1000)} s allowed`,
      );
    return undefined;
  };

  const restore: RestoreHandler = {
    observe,
    matches: (desired, observed) => restoreOfLatest(desired, observed, ['Completed']) !== undefined,
    precheck: (ref, desired, observed) => {
      const refused = backupRefusal(observed, ref.schedule, desired.maxBackupAgeMs);
      return refused ? errAsync(refused) : okAsync(undefined);
    },
    ensure: (ref, desired, options) =>
      observe(ref, options).andThen((before) => {
        if (restore.matches(desired, before)) return okAsync({ before, changed: false });
        const refused = backupRefusal(before, ref.schedule, desired.maxBackupAgeMs);
        if (refused) return errAsync(refused);
        const handle = (name: string) => ({
          provider: kubernetesProvider,
          operation: 'createRestore',
          id: name,
          startedAt: time.now(),
          detail: { ref: { ...ref }, name },
        });
        // A restore of the same backup and filters on its way (a resumed run): wait on it.
        const inFlight = restoreOfLatest(desired, before, ['New', 'InProgress']);
        if (inFlight) return okAsync({ before, changed: true, handle: handle(inFlight.name) });
        return createVeleroRestorer(withCallOptions(connection, options), {
          time,
          ...(ref.namespace && { namespace: ref.namespace }),
        })
          .ensureRestore(before.latestBackup?.name ?? '', scopeOf(desired))
          .map((outcome) => ({ before, changed: true, handle: handle(outcome.handle.name) }));
      }),
    wait: (handle, options) => {
      const detail = handle.detail as { ref: VeleroRestoreResourceRef; name: string };
      return createVeleroRestorer(withCallOptions(connection, options), {
        time,
        ...(detail.ref.namespace && { namespace: detail.ref.namespace }),
      })
        .waitForRestore(
          { name: detail.name },
          {
            timeoutMs: options.timeoutMs,
            expectedDurationMs: options.expectedDurationMs ?? settings.restoreMs,
            ...(options.abortSignal && { signal: options.abortSignal }),
          },
        )
        .andThen(() => observe(detail.ref, options));
    },
    restoreOf: () => {
      throw refusal('unsupported', 'a Velero restore cannot be undone; mark its step irreversible');
    },
  };

  const backup: BackupHandler = {
    observe,
    matches: () => true,
    precheck: () => okAsync(undefined),
    ensure: () => errAsync(refusal('unsupported', 'a Backup is checked (check.resource), not ensured')),
    wait: () => errAsync(refusal('unsupported', 'a Backup is checked (check.resource), not waited on')),
    restoreOf: () => {
      throw refusal('unsupported', 'a Backup is checked, not changed');
    },
    check: (ref, condition, options) => {
      const maxAgeMs = condition.maxAgeMs ?? options?.rpoMs;
      if (maxAgeMs === undefined)
        return errAsync(
          new FailoverError({
            kind: 'invalid-input',
            message: 'the backup check needs a maxAgeMs, or a plan with an RPO',
            provider: kubernetesProvider,
            operation: 'checkResource',
            path: 'condition.maxAgeMs',
          }),
        );
      return observe(ref, options).map((observed) => {
        const refused = backupRefusal(observed, ref.schedule, maxAgeMs);
        const b = observed.latestBackup;
        return {
          passed: refused === undefined,
          actual: b ? { backup: b.name, phase: b.phase, ageMs: b.ageMs, errors: b.errors } : null,
          expected: { phase: 'Completed', errors: 0, maxAgeMs },
          summary: refused
            ? refused.message
            : `backup ${b?.name} of schedule ${ref.schedule} Completed ${Math.round((b?.ageMs ?? 0) / 1000)} s ago (at most ${Math.round(maxAgeMs / 1000)} s)`,
        };
      });
    },
  };

  return { restore, backup };
}

function refusal(kind: 'not-found' | 'precondition-failed' | 'unsupported', message: string): FailoverError {
  return new FailoverError({
    kind,
    message,
    provider: kubernetesProvider,
    operation: 'precheck',
    retryable: false,
  });
}
