import {
  type CallOptions,
  type CapacityRecords,
  type EnsureResult,
  err,
  errAsync,
  FailoverError,
  type FailoverResult,
  ok,
  okAsync,
  type Result,
  ResultAsync,
  type Time,
} from '@failover/core';
import type { V1Deployment, V1StatefulSet } from '@kubernetes/client-node';
import { type KubernetesConnection, kubernetesProvider, withCallOptions } from './kubernetes-connection.js';
import { createEnvVarSetter } from './kubernetes-env-var.js';
import { resolveReplicaTarget } from './kubernetes-replica-target.js';
import type { KubernetesKindHandler } from './kubernetes-resource-handler.js';
import type { WorkloadDesired, WorkloadObserved, WorkloadResourceRef } from './kubernetes-resource-types.js';
import { rolloutComplete } from './kubernetes-rollout.js';
import type { WorkloadRef } from './kubernetes-workload-ref.js';
import { createWorkloadScaler, stateOf } from './kubernetes-workload-scaler.js';

/** The cluster a percent-of-source size is taken from (the primary's, usually dark on the day). */
export interface WorkloadSource {
  connection: KubernetesConnection;
  /** Its name in capacity records; default the connection's cluster name. */
  name?: string;
}

/** What the workload handler shares with the provider. */
export interface WorkloadHandlerSettings {
  connection: KubernetesConnection;
  time: Time;
  source?: WorkloadSource;
  capacity?: CapacityRecords;
  /** How long a new pod usually takes to be ready: a rollout's expected duration is this per pod added. */
  podReadyMs: number;
  /** How long a source read may take when a record could stand in for it. */
  sourceReadBudgetMs: number;
}

type Handler = KubernetesKindHandler<WorkloadResourceRef, WorkloadObserved, WorkloadDesired>;

/** Scale (absolute, per name or percent of the source), set env vars, wait for the rollouts; undo from `before`. */
export function createWorkloadHandler(settings: WorkloadHandlerSettings): Handler {
  const { connection, time } = settings;

  const names = (ref: WorkloadResourceRef, options?: CallOptions): FailoverResult<string[]> => {
    if (ref.name !== undefined) return okAsync([ref.name]);
    if (ref.labelSelector === undefined)
      return errAsync(invalid('a workload names a `name` or a `labelSelector`', 'resource.name'));
    return createWorkloadScaler(withCallOptions(connection, options), { time })
      .resolve({ kind: ref.kind, namespace: ref.namespace, labelSelector: ref.labelSelector })
      .andThen((refs) =>
        refs.length === 0
          ? errAsync(
              new FailoverError({
                kind: 'not-found',
                message: `no ${ref.kind} in ${ref.namespace} matches "${ref.labelSelector}"`,
                provider: kubernetesProvider,
                operation: 'resolve',
              }),
            )
          : okAsync(refs.map((r) => r.name)),
      );
  };

  const read = (conn: KubernetesConnection, workload: WorkloadRef) =>
    workload.kind === 'Deployment'
      ? conn.call('readNamespacedDeployment', () => conn.apps().readNamespacedDeployment(workload))
      : conn.call('readNamespacedStatefulSet', () => conn.apps().readNamespacedStatefulSet(workload));

  const observeSource = (
    ref: WorkloadResourceRef,
    list: string[],
    options?: CallOptions,
  ): FailoverResult<Pick<WorkloadObserved, 'sourceReplicas' | 'sourceRecorded' | 'sourceError'>> => {
    const { source, capacity } = settings;
    if (!source) return okAsync({});
    const sourceName = source.name ?? source.connection.cluster;
    const poolOf = (name: string) => ({ cluster: sourceName, pool: `${ref.kind}/${ref.namespace}/${name}` });
    const records = list.map((name) => capacity?.get(kubernetesProvider, poolOf(name)));
    const recordedAll = records.every((record) => record !== undefined);
    // With a record for each, the dark source may not eat the step's deadline.
    const budget = time.now() + settings.sourceReadBudgetMs;
    const deadlineAt = recordedAll ? Math.min(options?.deadlineAt ?? budget, budget) : options?.deadlineAt;
    const conn = withCallOptions(source.connection, {
      ...options,
      ...(deadlineAt !== undefined && { deadlineAt }),
    });
    return ResultAsync.combine(
      list.map((name) => read(conn, { kind: ref.kind, namespace: ref.namespace, name })),
    )
      .map((objects) => {
        const sourceReplicas: Record<string, number> = {};
        objects.forEach((object, index) => {
          const name = list[index] as string;
          const replicas = object.spec?.replicas ?? 1;
          sourceReplicas[name] = replicas;
          capacity?.put({
            provider: kubernetesProvider,
            pool: poolOf(name),
            desired: replicas,
            ready: object.status?.readyReplicas ?? 0,
            recordedAt: time.now(),
            recordedBy: `observe ${ref.kind} ${ref.namespace}/${name}`,
          });
        });
        return { sourceReplicas };
      })
      .orElse((error) => {
        if (error.kind !== 'unavailable' && error.kind !== 'timeout' && error.kind !== 'throttled')
          return errAsync(error);
        if (!recordedAll) return okAsync({ sourceError: `${sourceName}: ${error.message}` });
        const sourceReplicas = Object.fromEntries(list.map((name, i) => [name, records[i]?.desired ?? 0]));
        const oldest = Math.min(...records.map((record) => record?.recordedAt ?? 0));
        return okAsync({
          sourceReplicas,
          sourceRecorded: `${sourceName} could not be read (${error.kind}); replicas recorded at ${new Date(oldest).toISOString()}`,
        });
      });
  };

  const observe: Handler['observe'] = (ref, options) =>
    names(ref, options).andThen((list) => {
      const conn = withCallOptions(connection, options);
      const objects = ResultAsync.combine(
        list.map((name) => read(conn, { kind: ref.kind, namespace: ref.namespace, name })),
      );
      return objects.andThen((read) =>
        observeSource(ref, list, options).map((source) => {
          const observed: WorkloadObserved = { replicas: {}, readyReplicas: {}, rolledOut: {} };
          read.forEach((object, index) => {
            const name = list[index] as string;
            const state = stateOf({ kind: ref.kind, namespace: ref.namespace, name }, object);
            observed.replicas[name] = state.replicas;
            observed.readyReplicas[name] = state.readyReplicas;
            observed.rolledOut[name] = rolloutComplete(state);
          });
          if (ref.name !== undefined) {
            const env = plainEnv(read[0], ref.container);
            if (env) observed.env = env;
          }
          const shares = Object.entries(observed.replicas).flatMap(([name, replicas]) => {
            const of = source.sourceReplicas?.[name];
            return of ? [Math.floor((replicas * 100) / of)] : [];
          });
          return {
            ...observed,
            ...source,
            ...(shares.length > 0 && { percentOfSource: Math.min(...shares) }),
          };
        }),
      );
    });

  const matches: Handler['matches'] = (desired, observed) => {
    const targets = replicaTargets(desired, observed);
    if (targets.isErr()) return false;
    for (const [name, replicas] of Object.entries(observed.replicas)) {
      const target = targets.value[name];
      if (target !== undefined && target !== replicas) return false;
      if (!observed.rolledOut[name]) return false;
    }
    return envMatches(desired, observed.env);
  };

  const precheck: Handler['precheck'] = (ref, desired, observed) => {
    const targets = replicaTargets(desired, observed);
    if (targets.isErr()) return errAsync(targets.error);
    if (desired.env !== undefined) {
      if (ref.name === undefined)
        return errAsync(invalid('env is set on one workload by `name`, not by a selector', 'resource.name'));
      if (observed.env === undefined)
        return errAsync(
          invalid(
            `${ref.kind} ${ref.namespace}/${ref.name} has no container ${ref.container ?? '(name the one of several)'}`,
            'resource.container',
          ),
        );
    }
    return okAsync(undefined);
  };

  const ensure: Handler['ensure'] = (ref, desired, options) =>
    observe(ref, options).andThen((before) => {
      const result = (
        changed: boolean,
        detail?: Record<string, unknown>,
      ): EnsureResult<WorkloadObserved> => ({
        before,
        changed,
        ...(changed && {
          handle: {
            provider: kubernetesProvider,
            operation: 'rollout',
            id: `${ref.kind}/${ref.namespace}/${ref.name ?? ref.labelSelector}`,
            startedAt: time.now(),
            detail: { ref: { ...ref }, ...detail },
          },
        }),
      });
      if (matches(desired, before)) return okAsync(result(false));
      return precheck(ref, desired, before, options).andThen(() => {
        const targets = replicaTargets(desired, before)._unsafeUnwrap();
        const conn = withCallOptions(connection, options);
        const scaler = createWorkloadScaler(conn, { time });
        const list = Object.keys(before.replicas);
        const added = Object.fromEntries(
          list.map((name) => [
            name,
            Math.max(0, (targets[name] ?? before.replicas[name] ?? 0) - (before.readyReplicas[name] ?? 0)),
          ]),
        );
        // One name at a time: a workload already at its target sends nothing.
        const scaled = list.reduce<FailoverResult<void>>(
          (chain, name) =>
            chain.andThen(() => {
              const target = targets[name];
              if (target === undefined || target === before.replicas[name]) return okAsync(undefined);
              return scaler
                .ensure({ kind: ref.kind, namespace: ref.namespace, name }, target)
                .map(() => undefined);
            }),
          okAsync(undefined),
        );
        return scaled.andThen(() => {
          if (desired.env === undefined || ref.name === undefined) return okAsync(result(true, { added }));
          const env = envPatch(desired, before.env ?? {});
          return createEnvVarSetter(conn)
            .ensureEnv(
              {
                workload: { kind: ref.kind, namespace: ref.namespace, name: ref.name },
                ...(ref.container !== undefined && { container: ref.container }),
              },
              env,
            )
            .map((outcome) =>
              result(true, {
                added,
                generations: { [ref.name as string]: outcome.handle.generation },
              }),
            );
        });
      });
    });

  const wait: Handler['wait'] = (handle, options) => {
    const detail = handle.detail as {
      ref: WorkloadResourceRef;
      added?: Record<string, number>;
      generations?: Record<string, number>;
    };
    const { ref } = detail;
    const minReady = typeof options.until?.minReady === 'number' ? options.until.minReady : undefined;
    const deadline = time.now() + options.timeoutMs;
    const conn = withCallOptions(connection, options);
    const scaler = createWorkloadScaler(conn, { time });
    return observe(ref, options).andThen((now) => {
      const waits = Object.keys(now.replicas).reduce<FailoverResult<void>>(
        (chain, name) =>
          chain.andThen(() => {
            const pods = Math.max(1, detail.added?.[name] ?? 1);
            const generation = detail.generations?.[name];
            return scaler
              .wait(
                {
                  ref: { kind: ref.kind, namespace: ref.namespace, name },
                  replicas: now.replicas[name] ?? 0,
                  ...(generation !== undefined && { generation }),
                },
                {
                  timeoutMs: Math.max(0, deadline - time.now()),
                  expectedDurationMs: options.expectedDurationMs ?? pods * settings.podReadyMs,
                  ...(minReady !== undefined && { minReady }),
                  ...(options.abortSignal && { signal: options.abortSignal }),
                },
              )
              .map(() => undefined);
          }),
        okAsync(undefined),
      );
      return waits.andThen(() => observe(ref, options));
    });
  };

  return {
    observe,
    matches,
    precheck,
    ensure,
    wait,
    restoreOf: (before) => ({
      replicas: { ...before.replicas },
      ...(before.env !== undefined && { env: { ...before.env }, replaceEnv: true }),
    }),
  };
}

/** The replicas each observed workload should have, or why they cannot be known. */
function replicaTargets(
  desired: WorkloadDesired,
  observed: WorkloadObserved,
): Result<Record<string, number>, FailoverError> {
  const wanted = desired.replicas;
  const percent = desired.percentOfSource;
  const targets: Record<string, number> = {};
  if (wanted === undefined && percent === undefined) return ok(targets);
  for (const name of Object.keys(observed.replicas)) {
    let target: Result<number, FailoverError>;
    if (typeof wanted === 'number') target = resolveReplicaTarget({ replicas: wanted });
    else if (wanted === undefined && percent !== undefined) {
      const recorded = observed.sourceReplicas?.[name];
      if (recorded === undefined)
        return err(
          new FailoverError({
            kind: 'unavailable',
            message: `${percent} % of the source's replicas of ${name} cannot be known: ${observed.sourceError ?? 'no source cluster is configured'}`,
            provider: kubernetesProvider,
            operation: 'precheck',
            retryable: observed.sourceError !== undefined,
          }),
        );
      target = resolveReplicaTarget({ percent, ofRecorded: recorded });
    } else {
      const count = (wanted as Record<string, number> | undefined)?.[name];
      if (count === undefined) continue;
      target = resolveReplicaTarget({ replicas: count });
    }
    if (target.isErr()) return err(target.error);
    targets[name] = target.value;
  }
  return ok(targets);
}

function envMatches(desired: WorkloadDesired, env: Record<string, string> | undefined): boolean {
  if (desired.env === undefined) return true;
  const current = env ?? {};
  for (const [name, value] of Object.entries(desired.env)) {
    if ((current[name] ?? null) !== value) return false;
  }
  return !desired.replaceEnv || Object.keys(current).every((name) => name in desired.env!);
}

function envPatch(desired: WorkloadDesired, current: Record<string, string>): Record<string, string | null> {
  const patch: Record<string, string | null> = { ...desired.env };
  if (desired.replaceEnv) for (const name of Object.keys(current)) if (!(name in patch)) patch[name] = null;
  return patch;
}

/** The plain `value` variables of the container (the only one, or the named one); undefined when there is no such container. */
function plainEnv(
  object: V1Deployment | V1StatefulSet | undefined,
  container: string | undefined,
): Record<string, string> | undefined {
  const containers = object?.spec?.template.spec?.containers ?? [];
  const found =
    container === undefined
      ? containers.length === 1
        ? containers[0]
        : undefined
      : containers.find((c) => c.name === container);
  if (!found) return undefined;
  return Object.fromEntries(
    (found.env ?? []).filter((v) => v.valueFrom === undefined).map((v) => [v.name, v.value ?? '']),
  );
}

function invalid(message: string, path: string): FailoverError {
  return new FailoverError({
    kind: 'invalid-input',
    message,
    provider: kubernetesProvider,
    operation: 'precheck',
    path,
  });
}
