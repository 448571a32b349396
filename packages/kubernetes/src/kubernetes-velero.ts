import {
  errAsync,
  FailoverError,
  type FailoverResult,
  okAsync,
  pollUntil,
  realTime,
  type Time,
} from '@failover/core';
import { type KubernetesConnection, kubernetesProvider } from './kubernetes-connection.js';

/** Which namespaces and resources a restore covers (Velero's `RestoreSpec` filters). */
export interface VeleroRestoreScope {
  includedNamespaces?: string[];
  excludedNamespaces?: string[];
  includedResources?: string[];
  excludedResources?: string[];
}

/** The latest finished backup of a schedule, as checked. */
export interface VeleroBackupState {
  name: string;
  phase: string;
  /** `status.completionTimestamp`, ms since the epoch. */
  completedAt: number;
  ageMs: number;
}

/** What `ensureRestore` returns. A restore cannot be undone: there is no `undo`. */
export interface VeleroRestoreOutcome {
  /** False when a restore of the same backup and scope was already New, InProgress or Completed. */
  changed: boolean;
  handle: { name: string };
}

/** Settings of the Velero restorer. */
export interface VeleroRestorerOptions {
  /** Velero's namespace; default `velero`. */
  namespace?: string;
  time?: Time;
  /** First delay between reads of `waitForRestore` without an expected duration (then backing off); default 5000 ms. */
  pollIntervalMs?: number;
}

/**
 * Velero (velero.io/v1) through the API server: check that a schedule's
 * latest backup is fresh and clean, restore from it once, wait for the end.
 */
export interface KubernetesVeleroRestorer {
  /**
   * The newest finished backup of `schedule`; `precondition-failed` when it is
   * not `Completed`, has errors, or is older than `maxAgeMs`; `not-found` when there is none.
   */
  latestBackup(schedule: string, maxAgeMs: number): FailoverResult<VeleroBackupState>;
  /** Creates a Restore of `backupName` unless one with the same scope is already New, InProgress or Completed. */
  ensureRestore(
    backupName: string,
    scope?: VeleroRestoreScope,
    options?: { dryRun?: boolean },
  ): FailoverResult<VeleroRestoreOutcome>;
  /** Waits for `Completed`; `PartiallyFailed`, `Failed` and `FailedValidation` are errors carrying the counts. */
  waitForRestore(
    handle: VeleroRestoreOutcome['handle'],
    options: {
      timeoutMs: number;
      /** How long a restore usually takes: the reads follow core's `pollUntil` schedule from it. */
      expectedDurationMs?: number;
      signal?: AbortSignal;
    },
  ): FailoverResult<{ phase: 'Completed'; warnings: number }>;
}

interface VeleroObject {
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  status?: {
    phase?: string;
    completionTimestamp?: string;
    errors?: number;
    warnings?: number;
    validationErrors?: string[];
  };
}

const group = { group: 'velero.io', version: 'v1' };
const alive = new Set(['', 'New', 'InProgress', 'Completed']);
const scopeFields = [
  'includedNamespaces',
  'excludedNamespaces',
  'includedResources',
  'excludedResources',
] as const;

/** A Velero restorer on one cluster connection. */
export function createVeleroRestorer(
  connection: KubernetesConnection,
  options: VeleroRestorerOptions = {},
): KubernetesVeleroRestorer {
  const namespace = options.namespace ?? 'velero';
  const time = options.time ?? realTime;
  const pollIntervalMs = options.pollIntervalMs ?? 5_000;
  const custom = () => connection.customObjects();
  const list = (plural: string, operation: string, labelSelector?: string) =>
    connection
      .call(operation, () =>
        custom().listNamespacedCustomObject({
          ...group,
          namespace,
          plural,
          ...(labelSelector && { labelSelector }),
        }),
      )
      .map((answer) => ((answer as { items?: VeleroObject[] }).items ?? []) as VeleroObject[]);

  const latestBackup: KubernetesVeleroRestorer['latestBackup'] = (schedule, maxAgeMs) =>
    list('backups', 'listBackups', `velero.io/schedule-name=${schedule}`).andThen((backups) => {
      const finished = backups
        .filter((b) => b.status?.completionTimestamp)
        .map((b) => ({ backup: b, completedAt: Date.parse(b.status?.completionTimestamp as string) }))
        .sort((a, b) => b.completedAt - a.completedAt);
      const newest = finished[0];
      if (!newest)
        return errAsync(
          failure('not-found', 'latestBackup', `schedule "${schedule}" has no finished backup`),
        );
      const state: VeleroBackupState = {
        name: newest.backup.metadata?.name ?? '',
        phase: newest.backup.status?.phase ?? '',
        completedAt: newest.completedAt,
        ageMs: time.now() - newest.completedAt,
      };
      const errors = newest.backup.status?.errors ?? 0;
      if (state.phase !== 'Completed' || errors > 0) {
        return errAsync(
          failure(
            'precondition-failed',
            'latestBackup',
            `backup ${state.name} is ${state.phase} with ${errors} errors`,
            {
              ...state,
              errors,
            },
          ),
        );
      }
      if (state.ageMs > maxAgeMs) {
        return errAsync(
          failure(
            'precondition-failed',
            'latestBackup',
            `backup ${state.name} is ${Math.round(state.ageMs / 1000)} s old, more than the ${Math.round(maxAgeMs / 1000)} s allowed`,
            state,
          ),
        );
      }
      return okAsync(state);
    });

  const ensureRestore: KubernetesVeleroRestorer['ensureRestore'] = (
    backupName,
    scope = {},
    ensureOptions = {},
  ) =>
    list('restores', 'listRestores').andThen((restores) => {
      const same = restores.find(
        (r) =>
          r.spec?.backupName === backupName &&
          alive.has(r.status?.phase ?? '') &&
          scopeFields.every((field) => sameList(r.spec?.[field], scope[field])),
      );
      if (same) return okAsync({ changed: false, handle: { name: same.metadata?.name ?? '' } });
      const name = `${backupName}-${stamp(time.now())}`;
      if (ensureOptions.dryRun) return okAsync({ changed: true, handle: { name } });
      const spec = {
        backupName,
        ...Object.fromEntries(scopeFields.flatMap((f) => (scope[f] ? [[f, scope[f]]] : []))),
      };
      return connection
        .call('createRestore', () =>
          custom().createNamespacedCustomObject({
            ...group,
            namespace,
            plural: 'restores',
            body: { apiVersion: 'velero.io/v1', kind: 'Restore', metadata: { name, namespace }, spec },
          }),
        )
        .orElse((error) =>
          // A create sent again after its answer was lost finds its own restore.
          (error.cause as { reason?: string } | undefined)?.reason === 'AlreadyExists'
            ? okAsync(undefined)
            : errAsync(error),
        )
        .map(() => ({ changed: true, handle: { name } }));
    });

  const waitForRestore: KubernetesVeleroRestorer['waitForRestore'] = (handle, waitOptions) =>
    pollUntil<{ phase: 'Completed'; warnings: number }>({
      time,
      provider: kubernetesProvider,
      operation: 'waitForRestore',
      timeoutMs: waitOptions.timeoutMs,
      pollIntervalMs,
      ...(waitOptions.expectedDurationMs !== undefined && {
        expectedDurationMs: waitOptions.expectedDurationMs,
      }),
      ...(waitOptions.signal && { abortSignal: waitOptions.signal }),
      poll: () =>
        connection
          .call('readRestore', () =>
            custom().getNamespacedCustomObject({
              ...group,
              namespace,
              plural: 'restores',
              name: handle.name,
            }),
          )
          .andThen((answer) => {
            const status = (answer as VeleroObject).status;
            if (status?.phase === 'Completed')
              return okAsync({
                done: true as const,
                value: { phase: 'Completed' as const, warnings: status.warnings ?? 0 },
              });
            if (status?.phase && !alive.has(status.phase)) {
              const counts = {
                phase: status.phase,
                errors: status.errors ?? 0,
                warnings: status.warnings ?? 0,
              };
              const detail = status.validationErrors?.length ? `: ${status.validationErrors.join('; ')}` : '';
              return errAsync(
                failure(
                  'unexpected',
                  'waitForRestore',
                  `restore ${handle.name} ended ${status.phase} with ${counts.errors} errors and ${counts.warnings} warnings${detail}`,
                  counts,
                ),
              );
            }
            return okAsync({
              done: false as const,
              status: `restore ${handle.name} ${status?.phase || 'New'}`,
            });
          }),
    }).mapErr((error) =>
      // No restore behind the handle (its create failed, the answer lost with it): the executor ensures again.
      error.kind === 'not-found'
        ? new FailoverError({
            kind: 'not-found',
            message: error.message,
            provider: error.provider,
            operation: error.operation,
            retryable: true,
            cause: error.cause,
          })
        : error,
    );

  return { latestBackup, ensureRestore, waitForRestore };
}

function sameList(actual: unknown, wanted: string[] | undefined): boolean {
  const a = Array.isArray(actual) ? [...(actual as string[])].sort() : [];
  const b = [...(wanted ?? [])].sort();
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/** `YYYYMMDDhhmmss` in UTC, as the Velero CLI names restores. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function failure(
  kind: 'not-found' | 'precondition-failed' | 'unexpected' | 'timeout' | 'cancelled',
  operation: string,
  message: string,
  cause?: unknown,
): FailoverError {
  return new FailoverError({
    kind,
    message,
    provider: kubernetesProvider,
    operation,
    retryable: false,
    cause,
  });
}
