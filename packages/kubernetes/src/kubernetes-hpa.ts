import { errAsync, FailoverError, type FailoverResult, okAsync } from '@failover/core';
import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { patchOptions } from './kubernetes-client-module.js';
import { type KubernetesConnection, kubernetesProvider } from './kubernetes-connection.js';
import type { WorkloadRef } from './kubernetes-workload-ref.js';

/** A HorizontalPodAutoscaler by name. */
export interface HpaRef {
  namespace: string;
  name: string;
}

/** What is observed of an HPA. */
export interface HpaState {
  ref: HpaRef;
  minReplicas: number;
  maxReplicas: number;
  /** The workload it scales (same namespace). */
  target: WorkloadRef;
}

/** What `ensureMinReplicas` returns; `handle` can be passed to the workload scaler's `wait`. */
export interface HpaRaiseOutcome {
  changed: boolean;
  before: { minReplicas: number };
  handle: { ref: WorkloadRef; replicas: number };
}

/**
 * Raises an HPA's `minReplicas` (never lowers it; `undo` sets it back), so
 * the HPA controller scales its target up and keeps it there.
 */
export interface KubernetesHpaRaiser {
  observe(ref: HpaRef): FailoverResult<HpaState>;
  /** Fails before any change when the target is not an integer in 1..maxReplicas. */
  precheck(ref: HpaRef, minReplicas: number): FailoverResult<HpaState>;
  ensureMinReplicas(
    ref: HpaRef,
    minReplicas: number,
    options?: { dryRun?: boolean },
  ): FailoverResult<HpaRaiseOutcome>;
  undo(ref: HpaRef, before: HpaRaiseOutcome['before']): FailoverResult<HpaRaiseOutcome>;
}

/** An HPA raiser on one cluster connection (autoscaling/v2). */
export function createHpaRaiser(connection: KubernetesConnection): KubernetesHpaRaiser {
  const observe = (ref: HpaRef) =>
    connection
      .call('readNamespacedHorizontalPodAutoscaler', () =>
        connection.autoscaling().readNamespacedHorizontalPodAutoscaler(ref),
      )
      .andThen((object) => stateOf(ref, object));

  const precheck = (ref: HpaRef, minReplicas: number): FailoverResult<HpaState> =>
    observe(ref).andThen((state) =>
      Number.isInteger(minReplicas) && minReplicas >= 1 && minReplicas <= state.maxReplicas
        ? okAsync(state)
        : errAsync(
            invalid(
              `minReplicas must be an integer from 1 to maxReplicas (${state.maxReplicas}), not ${minReplicas}`,
            ),
          ),
    );

  const setMin = (ref: HpaRef, minReplicas: number, state: HpaState, raiseOnly: boolean, dryRun = false) => {
    const outcome = (changed: boolean): HpaRaiseOutcome => ({
      changed,
      before: { minReplicas: state.minReplicas },
      handle: { ref: state.target, replicas: minReplicas },
    });
    const unchanged = raiseOnly ? state.minReplicas >= minReplicas : state.minReplicas === minReplicas;
    if (unchanged) return okAsync(outcome(false));
    if (dryRun) return okAsync(outcome(true));
    return connection
      .call('patchNamespacedHorizontalPodAutoscaler', () =>
        connection
          .autoscaling()
          .patchNamespacedHorizontalPodAutoscaler(
            { ...ref, body: { spec: { minReplicas } } },
            patchOptions('merge'),
          ),
      )
      .map(() => outcome(true));
  };

  return {
    observe,
    precheck,
    ensureMinReplicas: (ref, minReplicas, options = {}) =>
      precheck(ref, minReplicas).andThen((state) => setMin(ref, minReplicas, state, true, options.dryRun)),
    undo: (ref, before) =>
      precheck(ref, before.minReplicas).andThen((state) => setMin(ref, before.minReplicas, state, false)),
  };
}

function stateOf(ref: HpaRef, object: V2HorizontalPodAutoscaler): FailoverResult<HpaState> {
  const target = object.spec?.scaleTargetRef;
  if (!object.spec || (target?.kind !== 'Deployment' && target?.kind !== 'StatefulSet')) {
    return errAsync(
      new FailoverError({
        kind: 'unsupported',
        message: `HPA ${ref.namespace}/${ref.name} scales a ${target?.kind ?? 'missing target'}, not a Deployment or StatefulSet`,
        provider: kubernetesProvider,
        operation: 'readNamespacedHorizontalPodAutoscaler',
      }),
    );
  }
  return okAsync({
    ref,
    // minReplicas defaults to 1 when omitted.
    minReplicas: object.spec.minReplicas ?? 1,
    maxReplicas: object.spec.maxReplicas,
    target: { kind: target.kind, namespace: ref.namespace, name: target.name },
  });
}

function invalid(message: string): FailoverError {
  return new FailoverError({
    kind: 'invalid-input',
    message,
    provider: kubernetesProvider,
    operation: 'precheck',
    path: 'minReplicas',
  });
}
