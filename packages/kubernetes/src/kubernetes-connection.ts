import { attempt, err, FailoverError, type FailoverResult, ok, type Result, redact } from '@failover/core';
import {
  AppsV1Api,
  AutoscalingV2Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';
import type { KubernetesConnectionOptions } from './kubernetes-connection-options.js';
import { mapKubernetesError } from './kubernetes-error.js';

/** The provider name errors carry. */
export const kubernetesProvider = 'kubernetes';

/** An authenticated way to one cluster's API server; API clients are created on first use. */
export interface KubernetesConnection {
  /** The cluster's name (from the kubeconfig context, or as given). */
  readonly cluster: string;
  apps(): AppsV1Api;
  autoscaling(): AutoscalingV2Api;
  core(): CoreV1Api;
  customObjects(): CustomObjectsApi;
  /** Runs one API call; a throw or rejection becomes a mapped `FailoverError`. */
  call<T>(operation: string, fn: () => Promise<T>): FailoverResult<T>;
  /** The escape hatch: the client's own configuration. */
  getInstance(): KubeConfig;
}

/**
 * Builds a connection from a kubeconfig or from a server, token and CA. Reads
 * the kubeconfig at once (so a missing file or context fails here, as
 * `invalid-input`); contacts nothing.
 */
export function createKubernetesConnection(
  options: KubernetesConnectionOptions,
): Result<KubernetesConnection, FailoverError> {
  const config = new KubeConfig();
  try {
    if ('kubeconfig' in options) {
      const { file, context } = options.kubeconfig;
      if (file) config.loadFromFile(file);
      else config.loadFromDefault();
      if (context) config.setCurrentContext(context);
      if (!config.getCurrentCluster())
        return err(invalid(`the kubeconfig has no cluster for context "${config.getCurrentContext()}"`));
    } else {
      const name = options.name ?? 'cluster';
      config.loadFromOptions({
        clusters: [
          {
            name,
            server: options.server,
            skipTLSVerify: options.skipTlsVerify ?? false,
            ...(options.caData !== undefined && { caData: options.caData }),
          },
        ],
        users: [{ name: 'failover', token: options.token }],
        contexts: [{ name, cluster: name, user: 'failover' }],
        currentContext: name,
      });
    }
  } catch (thrown) {
    return err(invalid(redact(thrown instanceof Error ? thrown.message : String(thrown))));
  }
  return ok(connectionFor(config));
}

function connectionFor(config: KubeConfig): KubernetesConnection {
  const cache = new Map<unknown, unknown>();
  const client = <T>(api: new (...args: never[]) => T): T => {
    let made = cache.get(api) as T | undefined;
    if (!made) {
      made = config.makeApiClient(api as never) as T;
      cache.set(api, made);
    }
    return made;
  };
  return {
    cluster: config.getCurrentCluster()?.name ?? 'cluster',
    apps: () => client(AppsV1Api),
    autoscaling: () => client(AutoscalingV2Api),
    core: () => client(CoreV1Api),
    customObjects: () => client(CustomObjectsApi),
    call: (operation, fn) =>
      attempt(fn, { provider: kubernetesProvider, operation }, (thrown) =>
        mapKubernetesError(thrown, kubernetesProvider, operation),
      ),
    getInstance: () => config,
  };
}

function invalid(message: string): FailoverError {
  return new FailoverError({
    kind: 'invalid-input',
    message,
    provider: kubernetesProvider,
    operation: 'connect',
  });
}
