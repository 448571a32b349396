import type { VeleroBackupSeed } from './kubernetes-velero.js';

/** A velero.io/v1 Schedule as the emulator starts it. */
export interface VeleroScheduleSeed {
  name: string;
  /** The cron expression (`spec.schedule`); default `0 * * * *`. */
  schedule?: string;
  /** `spec.paused`; default false. */
  paused?: boolean;
  /** Namespaces its backups include (`spec.template.includedNamespaces`); default `['*']`. */
  includedNamespaces?: string[];
}

/**
 * The Schedules of a cluster: those seeded, plus one for each schedule name a
 * seeded backup carries (Velero only labels a backup with a schedule that exists).
 */
export function veleroSchedules(
  schedules: VeleroScheduleSeed[],
  backups: VeleroBackupSeed[],
): VeleroScheduleSeed[] {
  const named = new Map(schedules.map((s) => [s.name, s]));
  for (const backup of backups)
    if (backup.schedule && !named.has(backup.schedule)) named.set(backup.schedule, { name: backup.schedule });
  return [...named.values()];
}

/**
 * A velero.io/v1 Schedule, read-only, as Velero's schedule controller leaves
 * it: phase `Enabled` once validated, `status.lastBackup` the time it last
 * created a backup (the newest backup labelled with its name), omitted when
 * it has made none.
 */
export function veleroSchedule(
  seed: VeleroScheduleSeed,
  backups: VeleroBackupSeed[],
  namespace: string,
  startedAt: number,
  version: string,
) {
  const created = backups.filter((b) => b.schedule === seed.name).map((b) => backupCreatedAt(b, startedAt));
  const lastBackup = created.length > 0 ? Math.max(...created) : undefined;
  const oldest = created.length > 0 ? Math.min(...created) : startedAt;
  return {
    apiVersion: 'velero.io/v1',
    kind: 'Schedule',
    metadata: {
      name: seed.name,
      namespace,
      uid: `schedule-${seed.name}`,
      resourceVersion: version,
      generation: 1,
      creationTimestamp: new Date(oldest - 60_000).toISOString(),
    },
    spec: {
      schedule: seed.schedule ?? '0 * * * *',
      template: {
        includedNamespaces: seed.includedNamespaces ?? ['*'],
        storageLocation: 'default',
        ttl: '720h0m0s',
      },
      useOwnerReferencesInBackup: false,
      ...(seed.paused && { paused: true }),
    },
    status: {
      phase: 'Enabled',
      ...(lastBackup !== undefined && { lastBackup: new Date(lastBackup).toISOString() }),
    },
  };
}

/** When the schedule created a backup: two minutes before the backup completed, as `veleroBackup` shows it. */
export function backupCreatedAt(backup: VeleroBackupSeed, startedAt: number): number {
  return startedAt - backup.completedAgoMs - 120_000;
}
