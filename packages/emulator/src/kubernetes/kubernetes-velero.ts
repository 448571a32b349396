import type { EmulatorClock } from '../server/emulator-clock.js';

/** A finished Velero Backup as its seed gives it. */
export interface VeleroBackupSeed {
  name: string;
  /** The Schedule that made it (label `velero.io/schedule-name`). */
  schedule?: string;
  /** Default `Completed`. */
  phase?: 'Completed' | 'PartiallyFailed' | 'Failed' | 'InProgress';
  /** How long before the emulator's start it completed, in ms. */
  completedAgoMs: number;
  errors?: number;
  warnings?: number;
}

/** How a Restore ends, by backup name: the emulator's stand-in for what the restore would meet. */
export interface VeleroRestoreOutcomeSeed {
  /** `FailedValidation` is what a restore of a missing backup gets; it is not seeded. */
  phase: 'Completed' | 'PartiallyFailed' | 'Failed' | 'FailedValidation';
  errors?: number;
  warnings?: number;
}

/** A velero.io/v1 Backup, read-only. */
export function veleroBackup(seed: VeleroBackupSeed, namespace: string, startedAt: number, version: string) {
  const completed = startedAt - seed.completedAgoMs;
  const phase = seed.phase ?? 'Completed';
  return {
    apiVersion: 'velero.io/v1',
    kind: 'Backup',
    metadata: {
      name: seed.name,
      namespace,
      uid: `backup-${seed.name}`,
      resourceVersion: version,
      creationTimestamp: new Date(completed - 120_000).toISOString(),
      // Velero labels a backup with its storage location, and with its schedule when one made it.
      labels: {
        'velero.io/storage-location': 'default',
        ...(seed.schedule && { 'velero.io/schedule-name': seed.schedule }),
      } as Record<string, string>,
    },
    spec: { includedNamespaces: ['*'], storageLocation: 'default', ttl: '720h0m0s' },
    status: {
      version: 1,
      formatVersion: '1.1.0',
      phase,
      startTimestamp: new Date(completed - 120_000).toISOString(),
      ...(phase !== 'InProgress' && { completionTimestamp: new Date(completed).toISOString() }),
      ...(seed.errors && { errors: seed.errors }),
      ...(seed.warnings && { warnings: seed.warnings }),
    },
  };
}

/**
 * A velero.io/v1 Restore: `New` when created, `InProgress` once the
 * controller picks it up (`pickupMs`), then the seeded outcome after `runMs`;
 * under a `stuck` fault it stays `InProgress`.
 */
export class VeleroRestore {
  constructor(
    readonly namespace: string,
    readonly name: string,
    readonly spec: Record<string, unknown>,
    private readonly outcome: VeleroRestoreOutcomeSeed | undefined,
    private readonly createdAt: number,
    private readonly clock: EmulatorClock,
    private readonly pickupMs: number,
    private readonly runMs: number,
    private readonly stuck = false,
  ) {}

  private status(): Record<string, unknown> {
    const elapsed = this.clock.now() - this.createdAt;
    if (elapsed < this.pickupMs) return { phase: 'New' };
    if (this.outcome?.phase === 'FailedValidation') {
      return {
        phase: 'FailedValidation',
        validationErrors: [
          `Error retrieving backup: backups.velero.io "${String(this.spec.backupName)}" not found`,
        ],
      };
    }
    const start = new Date(this.createdAt + this.pickupMs).toISOString();
    if (this.stuck || elapsed < this.pickupMs + this.runMs)
      return { phase: 'InProgress', startTimestamp: start };
    const outcome = this.outcome ?? { phase: 'Completed' };
    return {
      phase: outcome.phase,
      startTimestamp: start,
      completionTimestamp: new Date(this.createdAt + this.pickupMs + this.runMs).toISOString(),
      ...(outcome.errors && { errors: outcome.errors }),
      ...(outcome.warnings && { warnings: outcome.warnings }),
    };
  }

  toResource(): Record<string, unknown> {
    return {
      apiVersion: 'velero.io/v1',
      kind: 'Restore',
      metadata: {
        name: this.name,
        namespace: this.namespace,
        uid: `restore-${this.name}`,
        resourceVersion: String(this.createdAt),
        creationTimestamp: new Date(this.createdAt).toISOString(),
      },
      spec: this.spec,
      status: this.status(),
    };
  }
}
