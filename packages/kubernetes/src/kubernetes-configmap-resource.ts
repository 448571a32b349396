import { createHash } from 'node:crypto';
import { type FailoverResult, okAsync, ResultAsync, type Time } from '@failover/core';
import type { V1Deployment, V1StatefulSet } from '@kubernetes/client-node';
import { patchOptions } from './kubernetes-client-module.js';
import { type KubernetesConnection, kubernetesProvider, withCallOptions } from './kubernetes-connection.js';
import type { KubernetesKindHandler } from './kubernetes-resource-handler.js';
import type {
  ConfigMapDesired,
  ConfigMapObserved,
  ConfigMapResourceRef,
} from './kubernetes-resource-types.js';
import { rolloutComplete } from './kubernetes-rollout.js';
import type { WorkloadRef } from './kubernetes-workload-ref.js';
import { createWorkloadScaler, stateOf } from './kubernetes-workload-scaler.js';

type Handler = KubernetesKindHandler<ConfigMapResourceRef, ConfigMapObserved, ConfigMapDesired>;

/**
 * The pod-template annotation that says which data a workload was rolled for:
 * Helm's `checksum/config` pattern, so rolling is idempotent (a resumed step
 * finds the annotation and rolls nothing twice).
 */
export const configHashAnnotation = (configMap: string) =>
  // The name part of an annotation key is at most 63 characters.
  `failover.dev/${`config.${configMap}`.slice(0, 63)}`;

/** The ConfigMap annotation naming the data hash its readers must be rolled for. */
const pendingAnnotation = 'failover.dev/rollout-for';

/** The first 16 hex digits of the SHA-256 of the data, keys sorted. */
export function configDataHash(data: Record<string, string>): string {
  const sorted = Object.fromEntries(Object.entries(data).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
}

/**
 * Sets ConfigMap keys (JSON merge patch), then rolls the workloads that read
 * it by stamping the data's hash on their pod template, and waits for those rollouts.
 */
export function createConfigMapHandler(settings: {
  connection: KubernetesConnection;
  time: Time;
  podReadyMs: number;
}): Handler {
  const { connection, time } = settings;
  const workloadsOf = (ref: ConfigMapResourceRef): WorkloadRef[] =>
    (ref.rollout ?? []).map((w) => ({ kind: w.kind, namespace: ref.namespace, name: w.name }));
  const readWorkload = (
    conn: KubernetesConnection,
    w: WorkloadRef,
  ): FailoverResult<V1Deployment | V1StatefulSet> =>
    w.kind === 'Deployment'
      ? conn.call('readNamespacedDeployment', () => conn.apps().readNamespacedDeployment(w))
      : conn.call('readNamespacedStatefulSet', () => conn.apps().readNamespacedStatefulSet(w));

  const observe: Handler['observe'] = (ref, options) => {
    const conn = withCallOptions(connection, options);
    const configMap = conn.call('readNamespacedConfigMap', () =>
      conn.core().readNamespacedConfigMap({ namespace: ref.namespace, name: ref.name }),
    );
    const workloads = workloadsOf(ref);
    return configMap.andThen((object) =>
      ResultAsync.combine(workloads.map((w) => readWorkload(conn, w))).map((objects) => {
        const observed: ConfigMapObserved = {
          data: { ...(object.data ?? {}) },
          rolledFor: {},
          rolledOut: {},
          pendingRollout: object.metadata?.annotations?.[pendingAnnotation] ?? null,
        };
        objects.forEach((workload, index) => {
          const w = workloads[index] as WorkloadRef;
          observed.rolledFor[w.name] =
            workload.spec?.template.metadata?.annotations?.[configHashAnnotation(ref.name)] ?? null;
          observed.rolledOut[w.name] = rolloutComplete(stateOf(w, workload));
        });
        return observed;
      }),
    );
  };

  const dataMatches = (desired: ConfigMapDesired, data: Record<string, string>) =>
    Object.entries(desired.data).every(([key, value]) => (data[key] ?? null) === value) &&
    (!desired.exact || Object.keys(data).every((key) => key in desired.data));

  // Data as desired, and every rollout owed for it done: a seeded ConfigMap no step changed owes none.
  const matches: Handler['matches'] = (desired, observed) => {
    if (!dataMatches(desired, observed.data)) return false;
    const owed = observed.pendingRollout;
    if (owed === null || owed !== configDataHash(observed.data)) return owed === null;
    return Object.keys(observed.rolledFor).every(
      (name) => observed.rolledFor[name] === owed && observed.rolledOut[name],
    );
  };

  const ensure: Handler['ensure'] = (ref, desired, options) =>
    observe(ref, options).andThen((before) => {
      if (matches(desired, before)) return okAsync({ before, changed: false });
      const conn = withCallOptions(connection, options);
      const patch: Record<string, string | null> = { ...desired.data };
      if (desired.exact) for (const key of Object.keys(before.data)) if (!(key in patch)) patch[key] = null;
      const after = { ...before.data };
      for (const [key, value] of Object.entries(patch)) {
        if (value === null) delete after[key];
        else after[key] = value;
      }
      const hash = configDataHash(after);
      // The hash goes in the same patch as the data: a lost answer leaves the rollout owed, never forgotten.
      const setData =
        dataMatches(desired, before.data) && before.pendingRollout === hash
          ? okAsync(undefined)
          : conn
              .call('patchNamespacedConfigMap', () =>
                conn.core().patchNamespacedConfigMap(
                  {
                    namespace: ref.namespace,
                    name: ref.name,
                    body: { metadata: { annotations: { [pendingAnnotation]: hash } }, data: patch },
                  },
                  patchOptions('merge'),
                ),
              )
              .map(() => undefined);
      const annotation = configHashAnnotation(ref.name);
      return setData.andThen(() =>
        ResultAsync.combine(
          workloadsOf(ref).map((w) => {
            if (before.rolledFor[w.name] === hash)
              return readWorkload(conn, w).map((o) => o.metadata?.generation ?? 0);
            const body = { spec: { template: { metadata: { annotations: { [annotation]: hash } } } } };
            const strategic = patchOptions('strategic');
            const patched =
              w.kind === 'Deployment'
                ? conn.call('patchNamespacedDeployment', () =>
                    conn.apps().patchNamespacedDeployment({ ...w, body }, strategic),
                  )
                : conn.call('patchNamespacedStatefulSet', () =>
                    conn.apps().patchNamespacedStatefulSet({ ...w, body }, strategic),
                  );
            return patched.map((o) => o.metadata?.generation ?? 0);
          }),
        ).map((generations) => ({
          before,
          changed: true,
          handle: {
            provider: kubernetesProvider,
            operation: 'configRollout',
            id: `ConfigMap/${ref.namespace}/${ref.name}`,
            startedAt: time.now(),
            detail: {
              ref: { ...ref },
              generations: Object.fromEntries(workloadsOf(ref).map((w, i) => [w.name, generations[i] ?? 0])),
            },
          },
        })),
      );
    });

  const wait: Handler['wait'] = (handle, options) => {
    const detail = handle.detail as { ref: ConfigMapResourceRef; generations: Record<string, number> };
    const deadline = time.now() + options.timeoutMs;
    const conn = withCallOptions(connection, options);
    const scaler = createWorkloadScaler(conn, { time });
    const waits = workloadsOf(detail.ref).reduce<FailoverResult<void>>(
      (chain, w) =>
        chain.andThen(() =>
          readWorkload(conn, w).andThen((object) =>
            scaler
              .wait(
                { ref: w, replicas: object.spec?.replicas ?? 1, generation: detail.generations[w.name] ?? 0 },
                {
                  timeoutMs: Math.max(0, deadline - time.now()),
                  expectedDurationMs:
                    options.expectedDurationMs ??
                    Math.max(1, object.spec?.replicas ?? 1) * settings.podReadyMs,
                  ...(options.abortSignal && { signal: options.abortSignal }),
                },
              )
              .map(() => undefined),
          ),
        ),
      okAsync(undefined),
    );
    return waits.andThen(() => observe(detail.ref, options));
  };

  return {
    observe,
    matches,
    precheck: () => okAsync(undefined),
    ensure,
    wait,
    restoreOf: (before) => ({ data: { ...before.data }, exact: true }),
  };
}
