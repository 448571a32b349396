import {
  type ActionOptions,
  type ActionStep,
  type CheckStep,
  resource,
  type StepOptions,
} from '@failover/core';
import type {
  ConfigMapDesired,
  ConfigMapResourceRef,
  HpaDesired,
  HpaResourceRef,
  VeleroBackupCondition,
  VeleroBackupResourceRef,
  VeleroRestoreDesired,
  VeleroRestoreResourceRef,
  WorkloadDesired,
  WorkloadResourceRef,
} from './kubernetes-resource-types.js';

/** Which workloads: one by name, or a label selector. */
export type WorkloadSelection =
  | { kind: 'Deployment' | 'StatefulSet'; namespace: string; name: string }
  | { kind: 'Deployment' | 'StatefulSet'; namespace: string; labelSelector: string };

/**
 * Typed plan steps on a `kubernetesResources` provider (plain `resource.ensure`
 * and `resource.check` steps underneath, so they journal, diff and report as any other).
 */
export const kubernetesSteps = {
  /**
   * Scale workloads to a count, a count per name, or `{ percentOfSource }` of the source
   * cluster's replicas; wait for the rollout.
   */
  scale: (
    id: string,
    fields: {
      provider: string;
      workload: WorkloadSelection;
      replicas: NonNullable<WorkloadDesired['replicas']> | { percentOfSource: number };
      /** Done once this many pods of each workload are ready, rather than all. */
      minReady?: number;
    },
    options?: ActionOptions,
  ): ActionStep =>
    resource.ensure<WorkloadResourceRef, WorkloadDesired>(
      id,
      {
        provider: fields.provider,
        resource: { ...fields.workload },
        desired:
          typeof fields.replicas === 'object' && 'percentOfSource' in fields.replicas
            ? { percentOfSource: fields.replicas.percentOfSource as number }
            : { replicas: fields.replicas as NonNullable<WorkloadDesired['replicas']> },
        ...(fields.minReady !== undefined && { waitUntil: { minReady: fields.minReady } }),
      },
      options,
    ),

  /** Set (or with `null` remove) env vars of a workload's container; wait for the rollout. */
  setEnv: (
    id: string,
    fields: {
      provider: string;
      workload: { kind: 'Deployment' | 'StatefulSet'; namespace: string; name: string };
      container?: string;
      env: Record<string, string | null>;
    },
    options?: ActionOptions,
  ): ActionStep =>
    resource.ensure<WorkloadResourceRef, WorkloadDesired>(
      id,
      {
        provider: fields.provider,
        resource: {
          ...fields.workload,
          ...(fields.container !== undefined && { container: fields.container }),
        },
        desired: { env: { ...fields.env } },
      },
      options,
    ),

  /** Raise an HPA's minReplicas (never lowered); wait until its target is scaled and rolled out. */
  raiseHpa: (
    id: string,
    fields: { provider: string; namespace: string; name: string; minReplicas: number },
    options?: ActionOptions,
  ): ActionStep =>
    resource.ensure<HpaResourceRef, HpaDesired>(
      id,
      {
        provider: fields.provider,
        resource: { kind: 'HorizontalPodAutoscaler', namespace: fields.namespace, name: fields.name },
        desired: { minReplicas: fields.minReplicas },
      },
      options,
    ),

  /** Set ConfigMap keys, roll the workloads that read it, wait for those rollouts. */
  setConfigMap: (
    id: string,
    fields: Omit<ConfigMapResourceRef, 'kind'> & { provider: string; data: ConfigMapDesired['data'] },
    options?: ActionOptions,
  ): ActionStep =>
    resource.ensure<ConfigMapResourceRef, ConfigMapDesired>(
      id,
      {
        provider: fields.provider,
        resource: {
          kind: 'ConfigMap',
          namespace: fields.namespace,
          name: fields.name,
          ...(fields.rollout && { rollout: fields.rollout.map((w) => ({ ...w })) }),
        },
        desired: { data: { ...fields.data } },
      },
      options,
    ),

  /** Restore the schedule's latest backup once (irreversible: rollback holds it). */
  restore: (
    id: string,
    fields: Omit<VeleroRestoreResourceRef, 'kind'> &
      Omit<VeleroRestoreDesired, 'restored'> & { provider: string },
    options?: Omit<ActionOptions, 'reversible'>,
  ): ActionStep => {
    const { provider, schedule, namespace, ...desired } = fields;
    return resource.ensure<VeleroRestoreResourceRef, VeleroRestoreDesired>(
      id,
      {
        provider,
        resource: { kind: 'Restore', schedule, ...(namespace !== undefined && { namespace }) },
        desired: { restored: true, ...desired },
      },
      { ...options, reversible: false },
    );
  },

  /** Pre-flight: the schedule's latest backup is Completed, error-free and no older than `maxAgeMs` (default the plan's RPO). */
  backupFresh: (
    id: string,
    fields: Omit<VeleroBackupResourceRef, 'kind'> & VeleroBackupCondition & { provider: string },
    options?: StepOptions,
  ): CheckStep =>
    resource.check<VeleroBackupResourceRef, VeleroBackupCondition>(
      id,
      {
        provider: fields.provider,
        resource: {
          kind: 'Backup',
          schedule: fields.schedule,
          ...(fields.namespace !== undefined && { namespace: fields.namespace }),
        },
        condition: fields.maxAgeMs === undefined ? {} : { maxAgeMs: fields.maxAgeMs },
      },
      options,
    ),
};
