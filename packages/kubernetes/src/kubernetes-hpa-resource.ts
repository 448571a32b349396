import { errAsync, FailoverError, okAsync, type Time } from '@failover/core';
import { type KubernetesConnection, kubernetesProvider, withCallOptions } from './kubernetes-connection.js';
import { createHpaRaiser } from './kubernetes-hpa.js';
import type { KubernetesKindHandler } from './kubernetes-resource-handler.js';
import type { HpaDesired, HpaObserved, HpaResourceRef } from './kubernetes-resource-types.js';
import { createWorkloadScaler } from './kubernetes-workload-scaler.js';

type Handler = KubernetesKindHandler<HpaResourceRef, HpaObserved, HpaDesired>;

/**
 * Raises an HPA's `minReplicas` (never lowers it, except as an undo) and waits
 * until the HPA controller has scaled its target and the target has rolled out.
 */
export function createHpaHandler(settings: {
  connection: KubernetesConnection;
  time: Time;
  podReadyMs: number;
  /** How often the HPA controller syncs (15 s by default in kube-controller-manager). */
  hpaSyncMs: number;
}): Handler {
  const { connection, time } = settings;

  const observe: Handler['observe'] = (ref, options) => {
    const conn = withCallOptions(connection, options);
    return createHpaRaiser(conn)
      .observe(ref)
      .andThen((hpa) =>
        createWorkloadScaler(conn, { time })
          .observe(hpa.target)
          .map(
            (target): HpaObserved => ({
              minReplicas: hpa.minReplicas,
              maxReplicas: hpa.maxReplicas,
              target: { kind: hpa.target.kind, name: hpa.target.name },
              targetReplicas: target.replicas,
            }),
          ),
      );
  };

  const matches: Handler['matches'] = (desired, observed) =>
    desired.exact
      ? observed.minReplicas === desired.minReplicas
      : observed.minReplicas >= desired.minReplicas && observed.targetReplicas >= desired.minReplicas;

  const precheck: Handler['precheck'] = (_ref, desired, observed) =>
    Number.isInteger(desired.minReplicas) &&
    desired.minReplicas >= 1 &&
    desired.minReplicas <= observed.maxReplicas
      ? okAsync(undefined)
      : errAsync(
          new FailoverError({
            kind: 'invalid-input',
            message: `minReplicas must be an integer from 1 to maxReplicas (${observed.maxReplicas}), not ${desired.minReplicas}`,
            provider: kubernetesProvider,
            operation: 'precheck',
            path: 'desired.minReplicas',
          }),
        );

  const ensure: Handler['ensure'] = (ref, desired, options) =>
    observe(ref, options).andThen((before) => {
      if (matches(desired, before)) return okAsync({ before, changed: false });
      return precheck(ref, desired, before, options).andThen(() => {
        const raiser = createHpaRaiser(withCallOptions(connection, options));
        const applied = desired.exact
          ? raiser.undo(ref, { minReplicas: desired.minReplicas })
          : raiser.ensureMinReplicas(ref, desired.minReplicas);
        return applied.map(() => ({
          before,
          changed: true,
          handle: {
            provider: kubernetesProvider,
            operation: 'hpaScale',
            id: `HorizontalPodAutoscaler/${ref.namespace}/${ref.name}`,
            startedAt: time.now(),
            detail: {
              ref: { ...ref },
              target: before.target,
              // Lowering minReplicas scales nothing down: only a raise is waited on.
              replicas: desired.exact ? 0 : desired.minReplicas,
              added: Math.max(0, desired.minReplicas - before.targetReplicas),
            },
          },
        }));
      });
    });

  const wait: Handler['wait'] = (handle, options) => {
    const detail = handle.detail as {
      ref: HpaResourceRef;
      target: HpaObserved['target'];
      replicas: number;
      added: number;
    };
    const minReady = typeof options.until?.minReady === 'number' ? options.until.minReady : undefined;
    return createWorkloadScaler(withCallOptions(connection, options), { time })
      .wait(
        { ref: { ...detail.target, namespace: detail.ref.namespace }, replicas: detail.replicas },
        {
          timeoutMs: options.timeoutMs,
          expectedDurationMs:
            options.expectedDurationMs ??
            settings.hpaSyncMs + Math.max(1, detail.added) * settings.podReadyMs,
          ...(minReady !== undefined && { minReady }),
          ...(options.abortSignal && { signal: options.abortSignal }),
        },
      )
      .andThen(() => observe(detail.ref, options));
  };

  return {
    observe,
    matches,
    precheck,
    ensure,
    wait,
    restoreOf: (before) => ({ minReplicas: before.minReplicas, exact: true }),
  };
}
