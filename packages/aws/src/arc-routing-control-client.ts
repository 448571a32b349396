import type {
  Route53RecoveryClusterClient,
  RoutingControlState,
} from '@aws-sdk/client-route53-recovery-cluster';
import { type CallOptions, cancelledError, FailoverError, isTransient, type Time } from '@failover/core';
import { mapAwsError } from './aws-error.js';
import type { AwsClientConfig, AwsCredentials } from './aws-settings.js';

/** One regional endpoint of an ARC cluster, as `DescribeCluster` lists it in `ClusterEndpoints`. */
export interface ArcClusterEndpoint {
  region: string;
  /** e.g. `https://host-aaaaaa.us-east-1.example.com/v1`, or the emulator's `${url}/aws/arc/us-east-1`. */
  endpoint: string;
}

type Sdk = typeof import('@aws-sdk/client-route53-recovery-cluster');

/** What the cluster client needs from the factory. */
export interface ArcClusterClientSettings {
  provider: string;
  endpoints: readonly ArcClusterEndpoint[];
  time: Time;
  credentials?: AwsCredentials;
  clientConfig?: AwsClientConfig;
  /** How long one endpoint may take before the next is tried, on `time`. Default 5 s. */
  attemptTimeoutMs: number;
}

/**
 * Calls the ARC cluster data plane the way AWS asks: one call goes to one
 * regional endpoint; when that endpoint does not answer (5xx, reset, timeout,
 * throttled) the same call goes to the next, until one answers or all have
 * failed. The endpoint that answered last is tried first next time. Setting a
 * routing control's state is idempotent, so sending an update again through
 * another endpoint after an answer was lost is safe. Errors that the cluster
 * gave (validation, not found, access denied) are final: another endpoint
 * would say the same.
 */
export class ArcClusterClient {
  private readonly clients = new Map<string, Promise<{ client: Route53RecoveryClusterClient; sdk: Sdk }>>();
  private preferred = 0;

  constructor(private readonly settings: ArcClusterClientSettings) {}

  /** The routing control's state: `On` or `Off`. */
  async getState(arn: string, options: CallOptions): Promise<RoutingControlState> {
    const output = await this.send(
      'GetRoutingControlState',
      false,
      (sdk) => new sdk.GetRoutingControlStateCommand({ RoutingControlArn: arn }),
      options,
    );
    return (output as { RoutingControlState?: RoutingControlState }).RoutingControlState ?? 'Off';
  }

  /** Sets several routing controls in one transaction (all or nothing). */
  async updateStates(
    entries: ReadonlyArray<{ arn: string; state: RoutingControlState }>,
    safetyRulesToOverride: readonly string[] | undefined,
    options: CallOptions,
  ): Promise<void> {
    await this.send(
      'UpdateRoutingControlStates',
      true,
      (sdk) =>
        new sdk.UpdateRoutingControlStatesCommand({
          UpdateRoutingControlStateEntries: entries.map((entry) => ({
            RoutingControlArn: entry.arn,
            RoutingControlState: entry.state,
          })),
          ...(safetyRulesToOverride && { SafetyRulesToOverride: [...safetyRulesToOverride] }),
        }),
      options,
    );
  }

  private async send(
    operation: string,
    mutating: boolean,
    build: (sdk: Sdk) => unknown,
    options: CallOptions,
  ): Promise<unknown> {
    const { endpoints, provider } = this.settings;
    const failures: string[] = [];
    let last: FailoverError | undefined;
    for (let i = 0; i < endpoints.length; i++) {
      const index = (this.preferred + i) % endpoints.length;
      const endpoint = endpoints[index]!;
      if (options.abortSignal?.aborted) throw cancelledError(provider, operation, options.abortSignal.reason);
      options.onApiCall?.({ provider, operation, mutating });
      try {
        const output = await this.sendTo(endpoint, operation, build, options);
        this.preferred = index;
        return output;
      } catch (thrown) {
        const error = mapAwsError(thrown, { provider, operation });
        // A dark endpoint (5xx, reset, throttled, no answer in time): the next one may answer.
        if (!isTransient(error) && error.kind !== 'timeout') throw error;
        last = error;
        failures.push(`${endpoint.region}: ${error.message}`);
      }
    }
    throw new FailoverError({
      kind: 'unavailable',
      message: `${operation} failed on every endpoint of the ARC cluster (${failures.join('; ')})`,
      provider,
      operation,
      retryable: true,
      ...(last && { cause: last }),
    });
  }

  /** One attempt at one endpoint, abandoned after `attemptTimeoutMs` on the injected clock. */
  private async sendTo(
    endpoint: ArcClusterEndpoint,
    operation: string,
    build: (sdk: Sdk) => unknown,
    options: CallOptions,
  ): Promise<unknown> {
    const { client, sdk } = await this.client(endpoint);
    const controller = new AbortController();
    const stop = () => controller.abort(options.abortSignal?.reason);
    options.abortSignal?.addEventListener('abort', stop, { once: true });
    const timer = new AbortController();
    let timedOut = false;
    void this.settings.time.sleep(this.settings.attemptTimeoutMs, timer.signal).then(() => {
      if (timer.signal.aborted) return;
      timedOut = true;
      controller.abort();
    });
    try {
      return await client.send(build(sdk) as never, { abortSignal: controller.signal });
    } catch (thrown) {
      if (!timedOut) throw thrown;
      throw new FailoverError({
        kind: 'timeout',
        message: `${operation} got no answer from the ${endpoint.region} endpoint in ${this.settings.attemptTimeoutMs} ms`,
        provider: this.settings.provider,
        operation,
        retryable: true,
        cause: thrown,
      });
    } finally {
      timer.abort();
      options.abortSignal?.removeEventListener('abort', stop);
    }
  }

  private client(endpoint: ArcClusterEndpoint) {
    let entry = this.clients.get(endpoint.endpoint);
    if (!entry) {
      const { credentials, clientConfig } = this.settings;
      entry = import('@aws-sdk/client-route53-recovery-cluster').then((sdk) => ({
        sdk,
        // Each endpoint is signed for its own region, as the cluster requires.
        client: new sdk.Route53RecoveryClusterClient({
          ...clientConfig,
          region: endpoint.region,
          endpoint: endpoint.endpoint,
          ...(credentials !== undefined && { credentials }),
        }),
      }));
      entry.catch(() => this.clients.delete(endpoint.endpoint));
      this.clients.set(endpoint.endpoint, entry);
    }
    return entry;
  }
}
