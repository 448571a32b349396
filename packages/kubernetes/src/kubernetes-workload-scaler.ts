import {
  errAsync,
  FailoverError,
  type FailoverResult,
  okAsync,
  pollUntil,
  ResultAsync,
  realTime,
  type Time,
} from '@failover/core';
import type { V1Deployment, V1StatefulSet } from '@kubernetes/client-node';
import { patchOptions } from './kubernetes-client-module.js';
import { type KubernetesConnection, kubernetesProvider } from './kubernetes-connection.js';
import { rolloutComplete } from './kubernetes-rollout.js';
import {
  type WorkloadRef,
  type WorkloadScaleOutcome,
  type WorkloadSelector,
  type WorkloadState,
  workloadLabel,
} from './kubernetes-workload-ref.js';

/** Settings of a workload scaler. */
export interface WorkloadScalerOptions {
  /** Clock and sleeper for waits; default real time. */
  time?: Time;
  /** First delay between reads of `wait` when it has no expected duration (then backing off); default 2000 ms. */
  pollIntervalMs?: number;
}

/** How `wait` waits for a rollout. */
export interface WorkloadWaitOptions {
  /** Give up (as `timeout`) after this long. */
  timeoutMs: number;
  /** Done once this many pods are ready and available, rather than all desired ones. */
  minReady?: number;
  /**
   * How long the rollout usually takes: the reads then follow core's schedule
   * (`pollUntil`: at 67/85/95/100 % of it, then densely). Default: none, reads back off from `pollIntervalMs`.
   */
  expectedDurationMs?: number;
  signal?: AbortSignal;
}

/**
 * Scales Deployments and StatefulSets through the scale subresource, in the
 * contract of a step: observe → precheck → ensure (idempotent; returns
 * `before` and a handle) → wait; `undo` scales back to `before`.
 */
export interface KubernetesWorkloadScaler {
  observe(ref: WorkloadRef): FailoverResult<WorkloadState>;
  /** The workloads a label selector picks, in name order. */
  resolve(selector: WorkloadSelector): FailoverResult<WorkloadRef[]>;
  /** Fails before any change when the target is invalid or the workload is missing. */
  precheck(ref: WorkloadRef, replicas: number): FailoverResult<WorkloadState>;
  /** Sets `spec.replicas`; sends nothing when it already is (or on `dryRun`). */
  ensure(
    ref: WorkloadRef,
    replicas: number,
    options?: { dryRun?: boolean },
  ): FailoverResult<WorkloadScaleOutcome>;
  /** `ensure` on every workload a selector picks; fails as a whole if any fails. */
  ensureAll(
    selector: WorkloadSelector,
    replicas: number,
    options?: { dryRun?: boolean },
  ): FailoverResult<WorkloadScaleOutcome[]>;
  /** Waits until the rollout of the handle's workload is complete. */
  wait(handle: WorkloadScaleOutcome['handle'], options: WorkloadWaitOptions): FailoverResult<WorkloadState>;
  /** Restores the replicas recorded in `before`. */
  undo(ref: WorkloadRef, before: WorkloadScaleOutcome['before']): FailoverResult<WorkloadScaleOutcome>;
}

/** A workload scaler on one cluster connection. */
export function createWorkloadScaler(
  connection: KubernetesConnection,
  options: WorkloadScalerOptions = {},
): KubernetesWorkloadScaler {
  const time = options.time ?? realTime;
  const pollIntervalMs = options.pollIntervalMs ?? 2_000;
  const apps = () => connection.apps();

  const observe = (ref: WorkloadRef): FailoverResult<WorkloadState> =>
    ref.kind === 'Deployment'
      ? connection
          .call('readNamespacedDeployment', () => apps().readNamespacedDeployment(ref))
          .map((object) => stateOf(ref, object))
      : connection
          .call('readNamespacedStatefulSet', () => apps().readNamespacedStatefulSet(ref))
          .map((object) => stateOf(ref, object));

  const resolve = (selector: WorkloadSelector): FailoverResult<WorkloadRef[]> => {
    const request = { namespace: selector.namespace, labelSelector: selector.labelSelector };
    const listed =
      selector.kind === 'Deployment'
        ? connection.call('listNamespacedDeployment', () => apps().listNamespacedDeployment(request))
        : connection.call('listNamespacedStatefulSet', () => apps().listNamespacedStatefulSet(request));
    return listed.map((list) =>
      list.items
        .map((item) => ({
          kind: selector.kind,
          namespace: selector.namespace,
          name: item.metadata?.name ?? '',
        }))
        .filter((ref) => ref.name !== '')
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
  };

  const precheck = (ref: WorkloadRef, replicas: number): FailoverResult<WorkloadState> => {
    if (!Number.isInteger(replicas) || replicas < 0) {
      return errAsync(
        new FailoverError({
          kind: 'invalid-input',
          message: `replicas must be a non-negative integer, not ${replicas}`,
          provider: kubernetesProvider,
          operation: 'precheck',
          path: 'replicas',
        }),
      );
    }
    return observe(ref);
  };

  const patchScale = (ref: WorkloadRef, replicas: number) => {
    const request = { ...ref, body: { spec: { replicas } } };
    const mergePatch = patchOptions('merge');
    return ref.kind === 'Deployment'
      ? connection.call('patchNamespacedDeploymentScale', () =>
          apps().patchNamespacedDeploymentScale(request, mergePatch),
        )
      : connection.call('patchNamespacedStatefulSetScale', () =>
          apps().patchNamespacedStatefulSetScale(request, mergePatch),
        );
  };

  const ensure: KubernetesWorkloadScaler['ensure'] = (ref, replicas, ensureOptions = {}) =>
    precheck(ref, replicas).andThen((state) => {
      const outcome = (changed: boolean): WorkloadScaleOutcome => ({
        changed,
        before: { replicas: state.replicas },
        handle: { ref, replicas },
      });
      if (state.replicas === replicas || ensureOptions.dryRun) {
        return okAsync(outcome(state.replicas !== replicas));
      }
      return patchScale(ref, replicas).map(() => outcome(true));
    });

  const ensureAll: KubernetesWorkloadScaler['ensureAll'] = (selector, replicas, ensureOptions) =>
    resolve(selector).andThen((refs) => {
      if (refs.length === 0) {
        return errAsync(
          new FailoverError({
            kind: 'not-found',
            message: `no ${selector.kind} in ${selector.namespace} matches "${selector.labelSelector}"`,
            provider: kubernetesProvider,
            operation: 'resolve',
          }),
        );
      }
      return ResultAsync.combine(refs.map((ref) => ensure(ref, replicas, ensureOptions)));
    });

  const wait: KubernetesWorkloadScaler['wait'] = (handle, waitOptions) =>
    pollUntil<WorkloadState>({
      time,
      provider: kubernetesProvider,
      operation: 'waitForRollout',
      timeoutMs: waitOptions.timeoutMs,
      pollIntervalMs,
      ...(waitOptions.expectedDurationMs !== undefined && {
        expectedDurationMs: waitOptions.expectedDurationMs,
      }),
      ...(waitOptions.signal && { abortSignal: waitOptions.signal }),
      poll: () =>
        observe(handle.ref).map((state) =>
          rolledOut(state, handle, waitOptions.minReady)
            ? { done: true as const, value: state }
            : {
                done: false as const,
                status: `${workloadLabel(handle.ref)}: ${state.readyReplicas}/${state.replicas} ready, ${state.updatedReplicas} updated`,
              },
        ),
    });

  return {
    observe,
    resolve,
    precheck,
    ensure,
    ensureAll,
    wait,
    undo: (ref, before) => ensure(ref, before.replicas),
  };
}

/**
 * Done: `spec.replicas` has reached the target (an HPA raise is acted on late),
 * the template change the handle made (its generation) is the one observed,
 * and the rollout is complete.
 */
function rolledOut(state: WorkloadState, handle: WorkloadScaleOutcome['handle'], minReady?: number): boolean {
  if (state.replicas < handle.replicas) return false;
  if (handle.generation !== undefined && state.observedGeneration < handle.generation) return false;
  return rolloutComplete(state, minReady);
}

/** What is observed of a workload object read from the API server. */
export function stateOf(ref: WorkloadRef, object: V1Deployment | V1StatefulSet): WorkloadState {
  const status = object.status;
  return {
    ref,
    replicas: object.spec?.replicas ?? 1,
    generation: object.metadata?.generation ?? 0,
    observedGeneration: status?.observedGeneration ?? 0,
    statusReplicas: status?.replicas ?? 0,
    updatedReplicas: status?.updatedReplicas ?? 0,
    readyReplicas: status?.readyReplicas ?? 0,
    availableReplicas: status?.availableReplicas ?? 0,
    ...(object.metadata?.resourceVersion !== undefined && {
      resourceVersion: object.metadata.resourceVersion,
    }),
  };
}
