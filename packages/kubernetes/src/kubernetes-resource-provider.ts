import {
  type CapacityRecords,
  errAsync,
  FailoverError,
  type FailoverResult,
  type OperationHandle,
  type ResourceJson,
  type ResourceProviderV1,
  realTime,
  type Time,
  toFailoverError,
} from '@failover/core';
import { createConfigMapHandler } from './kubernetes-configmap-resource.js';
import { type KubernetesConnection, kubernetesProvider, withRetryClock } from './kubernetes-connection.js';
import { createHpaHandler } from './kubernetes-hpa-resource.js';
import type { KubernetesKindHandler } from './kubernetes-resource-handler.js';
import type { KubernetesResourceRef } from './kubernetes-resource-types.js';
import { createVeleroHandlers } from './kubernetes-velero-resource.js';
import { createWorkloadHandler, type WorkloadSource } from './kubernetes-workload-resource.js';

/** Settings of a Kubernetes resource provider: one cluster, and optionally the source cluster it sizes from. */
export interface KubernetesResourceProviderOptions {
  /** The cluster the steps act on. */
  connection: KubernetesConnection;
  /** The provider id in errors, events and reports; default `kubernetes`. */
  id?: string;
  /** Clock and sleeper of waits and retries; default real time. */
  time?: Time;
  /** Where `{ percentOfSource }` reads the replicas to take a percentage of. */
  source?: WorkloadSource;
  /**
   * Where the source's replicas are recorded when read, and read back when the
   * source cluster is dark (core's capacity records, e.g. `failover snapshot`'s file).
   */
  capacity?: CapacityRecords;
  /** How long a new pod usually takes to be ready; rollout waits expect this per pod added. Default 30 s. */
  podReadyMs?: number;
  /** The HPA controller's sync period; default 15 s (kube-controller-manager's). */
  hpaSyncMs?: number;
  /** How long a Velero restore usually takes; default 5 minutes. */
  veleroRestoreMs?: number;
  /** How long a source read may take when a capacity record could stand in for it; default 30 s. */
  sourceReadBudgetMs?: number;
}

/** A `ResourceProviderV1` over one cluster's Deployments, StatefulSets, HPAs, ConfigMaps and Velero objects. */
export type KubernetesResourceProvider = ResourceProviderV1;

// biome-ignore lint/suspicious/noExplicitAny: the handlers' own shapes meet the provider's JSON here.
type AnyHandler = KubernetesKindHandler<any, any, any, any>;

/**
 * The Kubernetes adapter of the open step kind: `resource` refs name a `kind`
 * as `kubectl` does (`Deployment`, `StatefulSet`, `HorizontalPodAutoscaler`,
 * `ConfigMap`, Velero's `Restore` and `Backup`), and each kind keeps the step
 * contract: observe, compare, pre-check, ensure idempotently, wait, undo from `before`.
 *
 * @example
 * ```ts
 * const west = kubernetesResources({ connection, source: { connection: eastConnection }, capacity });
 * resource.ensure('scale-checkout', {
 *   provider: 'k8s-west',
 *   resource: { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
 *   desired: { percentOfSource: 100 },
 * });
 * ```
 */
export function kubernetesResources(options: KubernetesResourceProviderOptions): KubernetesResourceProvider {
  const time = options.time ?? realTime;
  const podReadyMs = options.podReadyMs ?? 30_000;
  const connection = withRetryClock(options.connection, time);
  const workloads = createWorkloadHandler({
    connection,
    time,
    podReadyMs,
    sourceReadBudgetMs: options.sourceReadBudgetMs ?? 30_000,
    ...(options.source && {
      source: { ...options.source, connection: withRetryClock(options.source.connection, time) },
    }),
    ...(options.capacity && { capacity: options.capacity }),
  });
  const hpas = createHpaHandler({ connection, time, podReadyMs, hpaSyncMs: options.hpaSyncMs ?? 15_000 });
  const configMaps = createConfigMapHandler({ connection, time, podReadyMs });
  const velero = createVeleroHandlers({ connection, time, restoreMs: options.veleroRestoreMs ?? 300_000 });
  const byKind: Record<KubernetesResourceRef['kind'], AnyHandler> = {
    Deployment: workloads,
    StatefulSet: workloads,
    HorizontalPodAutoscaler: hpas,
    ConfigMap: configMaps,
    Restore: velero.restore,
    Backup: velero.backup,
  };
  const id = options.id ?? kubernetesProvider;

  const handlerOf = (ref: ResourceJson | undefined): AnyHandler | FailoverError =>
    byKind[String(ref?.kind) as KubernetesResourceRef['kind']] ??
    new FailoverError({
      kind: 'invalid-input',
      message: `no Kubernetes kind "${String(ref?.kind)}" here: one of ${Object.keys(byKind).join(', ')}`,
      provider: id,
      operation: 'resolve',
      path: 'resource.kind',
    });
  const withHandler = <T>(ref: ResourceJson | undefined, run: (handler: AnyHandler) => FailoverResult<T>) => {
    const handler = handlerOf(ref);
    if (handler instanceof FailoverError) return errAsync<T, FailoverError>(handler);
    try {
      return run(handler);
    } catch (thrown) {
      // A malformed ref or handle from JavaScript: an error value, never a throw.
      return errAsync<T, FailoverError>(toFailoverError(thrown, id, 'resolve'));
    }
  };
  // matches and restoreOf see states only: the state's fields say which kind it is.
  const handlerOfState = (state: ResourceJson): AnyHandler => {
    if ('restored' in state || 'restores' in state) return velero.restore;
    if ('minReplicas' in state) return hpas;
    if ('data' in state) return configMaps;
    return workloads;
  };

  const notObject = (value: unknown, path: string, operation: string): FailoverError | undefined =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? undefined
      : new FailoverError({
          kind: 'invalid-input',
          message: `${path} must be a JSON object`,
          provider: id,
          operation,
          path,
        });
  const checked = <T>(
    desired: unknown,
    operation: string,
    run: () => FailoverResult<T>,
  ): FailoverResult<T> => {
    const invalid = notObject(desired, 'desired', operation);
    return invalid ? errAsync<T, FailoverError>(invalid) : run();
  };

  return {
    specificationVersion: 'v1',
    kind: 'resource',
    provider: id,
    observeResource: (ref, o) => withHandler(ref, (h) => h.observe(ref, o)),
    matches: (desired, observed) =>
      !notObject(desired, 'desired', 'matches') &&
      !notObject(observed, 'observed', 'matches') &&
      handlerOfState(desired).matches(desired, observed),
    precheckResource: (ref, desired, observed, o) =>
      checked(desired, 'precheckResource', () =>
        withHandler(ref, (h) => h.precheck(ref, desired, observed, o)),
      ),
    ensureResource: (ref, desired, o) =>
      checked(desired, 'ensureResource', () => withHandler(ref, (h) => h.ensure(ref, desired, o))),
    waitForResource: (handle: OperationHandle, o) => {
      // The wait's own reads ride out throttling and blips until its deadline, as its polls do.
      const deadlineAt = Math.min(o.deadlineAt ?? Number.POSITIVE_INFINITY, time.now() + o.timeoutMs);
      return withHandler((handle?.detail as { ref?: ResourceJson } | undefined)?.ref, (h) =>
        h.wait(handle, { ...o, deadlineAt }),
      );
    },
    restoreOf: (before) => handlerOfState(before).restoreOf(before),
    checkResource: (ref, condition, o) =>
      withHandler(ref, (h) =>
        h.check
          ? h.check(ref, condition, o)
          : errAsync(
              new FailoverError({
                kind: 'unsupported',
                message: `a ${String(ref.kind)} has no check here: check a Backup`,
                provider: id,
                operation: 'checkResource',
              }),
            ),
      ),
  };
}
