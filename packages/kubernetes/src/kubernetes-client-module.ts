import { requireKubernetesClient } from './kubernetes-client-require.js';

/** `@kubernetes/client-node`'s exports. */
export type KubernetesClientModule = typeof import('@kubernetes/client-node');

// The client and its dependencies take ~0.5 s of CPU to load, more than every other
// package of @failover together: importing this package must not pay it, only
// reaching a cluster does. Every value from the client comes through here; the
// rest of the package imports its types only.
let loaded: KubernetesClientModule | undefined;

/**
 * The client, loaded on the first call (synchronously: `require` of an ES module,
 * see `kubernetes-client-require.ts`), for the synchronous entry points
 * (`createKubernetesConnection` reads its kubeconfig at once). Throws only when the
 * client is not installed.
 */
export function kubernetesClient(): KubernetesClientModule {
  loaded ??= requireKubernetesClient();
  return loaded;
}

/**
 * The client, loaded on the first call without blocking, for the asynchronous entry points.
 * A literal `import()`, which bundlers follow as they follow the `require`: one copy of the
 * client either way. Whichever loader finishes first is kept, so both give the same object.
 */
export async function loadKubernetesClient(): Promise<KubernetesClientModule> {
  const imported = await import('@kubernetes/client-node');
  loaded ??= imported;
  return loaded;
}

/** The request options of a PATCH: a JSON merge patch, or a strategic merge patch (lists merged by key). */
export function patchOptions(
  strategy: 'merge' | 'strategic',
): ReturnType<KubernetesClientModule['setHeaderOptions']> {
  const { PatchStrategy, setHeaderOptions } = kubernetesClient();
  return setHeaderOptions(
    'Content-Type',
    strategy === 'merge' ? PatchStrategy.MergePatch : PatchStrategy.StrategicMergePatch,
  );
}
