import { type FailoverResult, okAsync } from '@failover/core';
import { patchOptions } from './kubernetes-client-module.js';
import type { KubernetesConnection } from './kubernetes-connection.js';

/** A ConfigMap by name. */
export interface ConfigMapRef {
  namespace: string;
  name: string;
}

/** What `ensureKey` returns; `before.value` is absent when the key did not exist. */
export interface ConfigMapKeyOutcome {
  changed: boolean;
  before: { value?: string };
  handle: { ref: ConfigMapRef; key: string; value: string };
}

/**
 * Sets one key of a ConfigMap (e.g. the database host after a promotion).
 * Pods see the new value only after a restart; restarting and waiting for that
 * rollout is not built yet.
 */
export interface KubernetesConfigMapSetter {
  /** The ConfigMap's `data` (empty when it has none). */
  observe(ref: ConfigMapRef): FailoverResult<Record<string, string>>;
  /** JSON merge-patch of the one key; sends nothing when it already has the value, or on `dryRun`. */
  ensureKey(
    ref: ConfigMapRef,
    key: string,
    value: string,
    options?: { dryRun?: boolean },
  ): FailoverResult<ConfigMapKeyOutcome>;
  /** Puts the key back as it was in `before`: the old value, or removed if it did not exist. */
  undo(ref: ConfigMapRef, key: string, before: ConfigMapKeyOutcome['before']): FailoverResult<void>;
}

/** A ConfigMap key setter on one cluster connection (core/v1). */
export function createConfigMapSetter(connection: KubernetesConnection): KubernetesConfigMapSetter {
  const observe = (ref: ConfigMapRef) =>
    connection
      .call('readNamespacedConfigMap', () => connection.core().readNamespacedConfigMap(ref))
      .map((object) => ({ ...(object.data ?? {}) }));

  const patchKey = (ref: ConfigMapRef, key: string, value: string | null) =>
    connection.call('patchNamespacedConfigMap', () =>
      connection
        .core()
        .patchNamespacedConfigMap({ ...ref, body: { data: { [key]: value } } }, patchOptions('merge')),
    );

  return {
    observe,
    ensureKey: (ref, key, value, options = {}) =>
      observe(ref).andThen((data) => {
        const previous = data[key];
        const outcome = (changed: boolean): ConfigMapKeyOutcome => ({
          changed,
          before: previous === undefined ? {} : { value: previous },
          handle: { ref, key, value },
        });
        if (previous === value) return okAsync(outcome(false));
        if (options.dryRun) return okAsync(outcome(true));
        return patchKey(ref, key, value).map(() => outcome(true));
      }),
    undo: (ref, key, before) =>
      observe(ref).andThen((data) =>
        data[key] === before.value
          ? okAsync(undefined)
          : patchKey(ref, key, before.value ?? null).map(() => undefined),
      ),
  };
}
