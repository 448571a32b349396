import { errAsync, FailoverError, type FailoverResult, okAsync } from '@failover/core';
import type { V1Container, V1Deployment, V1StatefulSet } from '@kubernetes/client-node';
import { patchOptions } from './kubernetes-client-module.js';
import { type KubernetesConnection, kubernetesProvider } from './kubernetes-connection.js';
import { type WorkloadRef, workloadLabel } from './kubernetes-workload-ref.js';

/** Environment variables of one container of a workload's pod template. */
export interface EnvVarsRef {
  workload: WorkloadRef;
  /** The container; default: the pod's only container. */
  container?: string;
}

/** What is observed: the plain `value` variables (`valueFrom` ones are listed apart) and the generation. */
export interface EnvVarsState {
  container: string;
  env: Record<string, string>;
  /** Variables set from a ConfigMap, Secret or field: they cannot be set to a plain value here. */
  fromSources: string[];
  generation: number;
  /** `spec.replicas`: a rollout waits for this many updated pods. */
  replicas: number;
}

/** What `ensureEnv` returns; pass `handle` to the workload scaler's `wait` to wait for the rollout. */
export interface EnvVarsOutcome {
  changed: boolean;
  before: EnvVarsState;
  handle: { ref: WorkloadRef; replicas: number; generation: number };
}

/**
 * Sets environment variables of a workload's container (e.g. the database
 * host after a promotion) by strategic merge patch, which merges the
 * container and its `env` entries by name and leaves the others as they are.
 * The pod template changes, so the controller rolls the pods over.
 */
export interface KubernetesEnvVarSetter {
  observe(ref: EnvVarsRef): FailoverResult<EnvVarsState>;
  /**
   * Sets each variable to its value, `null` removes it; sends nothing when every one already
   * is (or on `dryRun`). A variable set from a source is refused (`precondition-failed`).
   */
  ensureEnv(
    ref: EnvVarsRef,
    env: Record<string, string | null>,
    options?: { dryRun?: boolean },
  ): FailoverResult<EnvVarsOutcome>;
}

/** An env var setter on one cluster connection (apps/v1). */
export function createEnvVarSetter(connection: KubernetesConnection): KubernetesEnvVarSetter {
  const apps = () => connection.apps();
  const read = (workload: WorkloadRef): FailoverResult<V1Deployment | V1StatefulSet> =>
    workload.kind === 'Deployment'
      ? connection.call('readNamespacedDeployment', () => apps().readNamespacedDeployment(workload))
      : connection.call('readNamespacedStatefulSet', () => apps().readNamespacedStatefulSet(workload));

  const observe = (ref: EnvVarsRef): FailoverResult<EnvVarsState> =>
    read(ref.workload).andThen((object) => {
      const containers = object.spec?.template.spec?.containers ?? [];
      const container =
        ref.container === undefined
          ? containers.length === 1
            ? containers[0]
            : undefined
          : containers.find((c) => c.name === ref.container);
      if (!container) {
        const message =
          ref.container === undefined
            ? `${workloadLabel(ref.workload)} has ${containers.length} containers: name the one to set`
            : `${workloadLabel(ref.workload)} has no container "${ref.container}"`;
        return errAsync(refusal('invalid-input', message));
      }
      return okAsync(stateOf(container, object));
    });

  const patch = (ref: EnvVarsRef, container: string, env: Record<string, string | null>) => {
    const entries = Object.entries(env).map(([name, value]) =>
      value === null ? { name, $patch: 'delete' } : { name, value },
    );
    const body = { spec: { template: { spec: { containers: [{ name: container, env: entries }] } } } };
    const strategic = patchOptions('strategic');
    const { workload } = ref;
    return workload.kind === 'Deployment'
      ? connection.call('patchNamespacedDeployment', () =>
          apps().patchNamespacedDeployment({ ...workload, body }, strategic),
        )
      : connection.call('patchNamespacedStatefulSet', () =>
          apps().patchNamespacedStatefulSet({ ...workload, body }, strategic),
        );
  };

  return {
    observe,
    ensureEnv: (ref, env, options = {}) =>
      observe(ref).andThen((state) => {
        const fromSource = Object.keys(env).filter((name) => state.fromSources.includes(name));
        if (fromSource.length > 0) {
          return errAsync(
            refusal(
              'precondition-failed',
              `${workloadLabel(ref.workload)} sets ${fromSource.join(', ')} from a ConfigMap, Secret or field; change it there`,
            ),
          );
        }
        const pending = Object.fromEntries(
          Object.entries(env).filter(([name, value]) => (state.env[name] ?? null) !== value),
        );
        const outcome = (changed: boolean, generation: number): EnvVarsOutcome => ({
          changed,
          before: state,
          handle: { ref: ref.workload, replicas: state.replicas, generation },
        });
        if (Object.keys(pending).length === 0) return okAsync(outcome(false, state.generation));
        if (options.dryRun) return okAsync(outcome(true, state.generation + 1));
        return patch(ref, state.container, pending).map((object) =>
          outcome(true, object.metadata?.generation ?? state.generation + 1),
        );
      }),
  };
}

function stateOf(container: V1Container, object: V1Deployment | V1StatefulSet): EnvVarsState {
  const env: Record<string, string> = {};
  const fromSources: string[] = [];
  for (const variable of container.env ?? []) {
    if (variable.valueFrom) fromSources.push(variable.name);
    else env[variable.name] = variable.value ?? '';
  }
  return {
    container: container.name,
    env,
    fromSources,
    generation: object.metadata?.generation ?? 0,
    replicas: object.spec?.replicas ?? 1,
  };
}

function refusal(kind: 'invalid-input' | 'precondition-failed', message: string): FailoverError {
  return new FailoverError({ kind, message, provider: kubernetesProvider, operation: 'precheck' });
}
