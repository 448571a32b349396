import {
  attempt,
  type CallOptions,
  cancelledError,
  err,
  FailoverError,
  type FailoverResult,
  isTransient,
  ok,
  type Result,
  ResultAsync,
  realTime,
  redact,
  retryWithinDeadline,
  type Time,
  toFailoverError,
} from '@failover/core';
import type {
  AppsV1Api,
  AutoscalingV2Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';
import { kubernetesClient } from './kubernetes-client-module.js';
import type { KubernetesConnectionOptions } from './kubernetes-connection-options.js';
import { mapKubernetesError } from './kubernetes-error.js';

/** The provider name errors carry. */
export const kubernetesProvider = 'kubernetes';

/** `CallOptions`, and the clock the retries inside `deadlineAt` wait on (the caller's; default the connection's). */
export interface KubernetesCallOptions extends CallOptions {
  time?: Time;
}

/** An authenticated way to one cluster's API server; API clients are created on first use. */
export interface KubernetesConnection {
  /** The cluster's name (from the kubeconfig context, or as given). */
  readonly cluster: string;
  apps(): AppsV1Api;
  autoscaling(): AutoscalingV2Api;
  core(): CoreV1Api;
  customObjects(): CustomObjectsApi;
  /**
   * Runs one API call; a throw or rejection becomes a mapped `FailoverError`.
   * With `options`, it reports the request through `onApiCall`, stops at
   * `abortSignal`, and retries inside `deadlineAt`: a read on any transient
   * failure, a change only when throttled (refused, so not applied).
   */
  call<T>(operation: string, fn: () => Promise<T>, options?: KubernetesCallOptions): FailoverResult<T>;
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
  settings: KubernetesConnectionSettings = {},
): Result<KubernetesConnection, FailoverError> {
  let config: KubeConfig;
  try {
    // The client is loaded here, on the first connection; failing to load it is not the caller's input.
    config = new (kubernetesClient().KubeConfig)();
  } catch (thrown) {
    return err(toFailoverError(thrown, kubernetesProvider, 'connect'));
  }
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
  return ok(connectionFor(config, settings));
}

/** What a connection shares with its callers besides where the cluster is. */
export interface KubernetesConnectionSettings {
  /** The clock of retries inside a call's deadline; default real time. */
  time?: Time;
}

/** The same connection, with `options` applied to every call made through it (reports, abort, deadline). */
export function withCallOptions(
  connection: KubernetesConnection,
  options: KubernetesCallOptions | undefined,
): KubernetesConnection {
  if (!options) return connection;
  return { ...connection, call: (operation, fn, own) => connection.call(operation, fn, own ?? options) };
}

/** The same connection, its retries waiting on `time` (a provider's injected clock). */
export function withRetryClock(connection: KubernetesConnection, time: Time): KubernetesConnection {
  return {
    ...connection,
    call: (operation, fn, options) => connection.call(operation, fn, options && { time, ...options }),
  };
}

/** Reads are named `read…`, `list…` or `get…` by the client; everything else changes state. */
const isMutating = (operation: string) => !/^(read|list|get)/.test(operation);

/** A connection over a loaded kubeconfig. */
export function connectionFor(config: KubeConfig, settings: { time?: Time } = {}): KubernetesConnection {
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
    apps: () => client(kubernetesClient().AppsV1Api),
    autoscaling: () => client(kubernetesClient().AutoscalingV2Api),
    core: () => client(kubernetesClient().CoreV1Api),
    customObjects: () => client(kubernetesClient().CustomObjectsApi),
    call: <T>(
      operation: string,
      fn: () => Promise<T>,
      options?: KubernetesCallOptions,
    ): FailoverResult<T> => {
      const once = (): FailoverResult<T> =>
        attempt(fn, { provider: kubernetesProvider, operation }, (thrown) =>
          mapKubernetesError(thrown, kubernetesProvider, operation),
        );
      if (!options) return once();
      const mutating = isMutating(operation);
      const { abortSignal, onApiCall, deadlineAt } = options;
      return new ResultAsync(
        retryWithinDeadline<T>(
          async () => {
            if (abortSignal?.aborted)
              return err(cancelledError(kubernetesProvider, operation, abortSignal.reason));
            onApiCall?.({ provider: kubernetesProvider, operation, mutating });
            return once();
          },
          {
            time: options.time ?? settings.time ?? realTime,
            ...(deadlineAt !== undefined && { deadlineAt }),
            ...(abortSignal && { abortSignal }),
            // Without a deadline, no retry here: the caller's own loop decides.
            maxAttempts: deadlineAt === undefined ? 1 : Number.POSITIVE_INFINITY,
            shouldRetry: (error) => isTransient(error) && (error.kind === 'throttled' || !mutating),
          },
        ),
      );
    },
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
