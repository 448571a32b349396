import {
  type CallOptions,
  err,
  type FailoverError,
  type FailoverResult,
  ok,
  type Result,
  ResultAsync,
  realTime,
  toFailoverError,
} from '@failover/core';
import { loadKubernetesClient } from './kubernetes-client-module.js';
import {
  connectionFor,
  type KubernetesConnection,
  type KubernetesConnectionSettings,
  kubernetesProvider,
} from './kubernetes-connection.js';

/** Where a cluster's API server is, as its cloud describes it. */
export interface KubernetesClusterEndpoint {
  /** The API server URL. */
  server: string;
  /** The cluster CA, PEM then base64 (kubeconfig `certificate-authority-data`). */
  caData?: string;
}

/** A bearer token for the API server and when it stops being accepted. */
export interface KubernetesBearerToken {
  token: string;
  /** Epoch ms on the access's clock. */
  expiresAt: number;
}

/**
 * How to reach a cluster a cloud runs, without its CLI: the shape
 * `@failover/aws` (EKS), `@failover/azure` (AKS) and `@failover/gcp` (GKE)
 * return. Structural, so no package depends on another for it.
 */
export interface KubernetesClusterAccess {
  /** The cluster's name, for errors and reports. */
  readonly cluster: string;
  /** Reads the endpoint and CA from the cloud's API (DescribeCluster, managedClusters, clusters.get). */
  endpoint(options?: CallOptions): FailoverResult<KubernetesClusterEndpoint>;
  /** A fresh token; called again when the one held is about to expire. Never logged. */
  token(options?: CallOptions): FailoverResult<KubernetesBearerToken>;
}

/** Settings of a connection from a cluster access. */
export interface ClusterAccessConnectionSettings extends KubernetesConnectionSettings {
  /** Get a new token this long before the held one expires; default 60 s. */
  refreshBeforeMs?: number;
}

const authProviderName = 'failover-cluster-access';

/**
 * A connection to a cloud's cluster through its access: the endpoint is read
 * on the first call (a failed read is tried again on the next), and every
 * request carries a token the access issued, renewed `refreshBeforeMs` before
 * it expires. The token lives only in memory and in the request's header: not
 * in the kubeconfig, not in errors.
 */
export function connectionFromAccess(
  access: KubernetesClusterAccess,
  settings: ClusterAccessConnectionSettings = {},
): KubernetesConnection {
  const time = settings.time ?? realTime;
  const refreshBeforeMs = settings.refreshBeforeMs ?? 60_000;
  let held: KubernetesBearerToken | undefined;
  let pending: Promise<Result<KubernetesBearerToken, FailoverError>> | undefined;
  let resolved: KubernetesConnection | undefined;
  let resolving: Promise<Result<KubernetesConnection, FailoverError>> | undefined;

  const token = async (options?: CallOptions): Promise<Result<KubernetesBearerToken, FailoverError>> => {
    if (held && held.expiresAt - refreshBeforeMs > time.now()) return ok(held);
    if (!pending) {
      const asked = (async () => access.token(options))().then((result) => {
        pending = undefined;
        if (result.isOk()) held = result.value;
        return result;
      });
      pending = asked;
    }
    return pending;
  };

  const resolve = (options?: CallOptions): Promise<Result<KubernetesConnection, FailoverError>> => {
    if (resolved) return Promise.resolve(ok(resolved));
    if (resolving) return resolving;
    const asked = (async () => access.endpoint(options))().then(async (result) => {
      if (result.isErr()) return err(result.error);
      const endpoint = result.value;
      // The client is loaded once the endpoint is known: a failed read never pays for it.
      const client = await loadKubernetesClient().then(
        (loaded) => ok(loaded),
        (thrown: unknown) => err(toFailoverError(thrown, kubernetesProvider, 'connect')),
      );
      return client.map(({ KubeConfig }) => {
        const config = new KubeConfig();
        config.addAuthenticator({
          isAuthProvider: (user) => user.authProvider?.name === authProviderName,
          applyAuthentication: async (_user, opts) => {
            const current = await token();
            // The client turns a throw into a rejected request; the connection maps it.
            if (current.isErr()) throw current.error;
            opts.headers = { ...opts.headers, Authorization: `Bearer ${current.value.token}` };
          },
        });
        config.loadFromOptions({
          clusters: [
            {
              name: access.cluster,
              server: endpoint.server,
              // Plain http is only the emulator's: there is no TLS to verify.
              skipTLSVerify: endpoint.server.startsWith('http://'),
              ...(endpoint.caData !== undefined && { caData: endpoint.caData }),
            },
          ],
          users: [{ name: 'failover', authProvider: { name: authProviderName, config: {} } }],
          contexts: [{ name: access.cluster, cluster: access.cluster, user: 'failover' }],
          currentContext: access.cluster,
        });
        resolved = connectionFor(config, settings);
        return resolved;
      });
    });
    resolving = asked.then((result) => {
      resolving = undefined;
      return result;
    });
    return resolving;
  };

  const current = (): KubernetesConnection => {
    if (!resolved)
      throw new Error(`${access.cluster}: the API clients exist once a call has read the endpoint`);
    return resolved;
  };

  return {
    cluster: access.cluster,
    apps: () => current().apps(),
    autoscaling: () => current().autoscaling(),
    core: () => current().core(),
    customObjects: () => current().customObjects(),
    call: <T>(operation: string, fn: () => Promise<T>, options?: CallOptions) =>
      new ResultAsync(resolve(options)).andThen((connection) =>
        // Get the token before the request, so an access failure is its own error, not the request's.
        new ResultAsync(token(options)).andThen(() => connection.call(operation, fn, options)),
      ),
    getInstance: () => current().getInstance(),
  };
}
