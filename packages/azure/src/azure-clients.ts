import type { ContainerServiceClient } from '@azure/arm-containerservice';
import type { MonitorClient } from '@azure/arm-monitor';
import type { SqlManagementClient } from '@azure/arm-sql';
import type { TrafficManagerManagementClient } from '@azure/arm-trafficmanager';
import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient, PipelinePolicy } from '@azure/core-rest-pipeline';
import { callContexts } from './azure-call-context.js';
import { armOperation } from './azure-operation-name.js';
import { retryAfterMs } from './azure-retry-after.js';
import { azureRetryPolicy } from './azure-retry-policy.js';
import type { AzureSettings } from './azure-settings.js';

/** The SDK clients of one `createAzure()`, created on first use and shared by its adapters. */
export interface AzureClients {
  readonly settings: AzureSettings;
  trafficManager(): Promise<TrafficManagerManagementClient>;
  sql(): Promise<SqlManagementClient>;
  containerService(): Promise<ContainerServiceClient>;
  /** Azure Monitor (metrics, for signal sources). */
  monitor(): Promise<MonitorClient>;
  /** The HTTP client requests go through (the configured one, or the SDK default). */
  httpClient(): Promise<HttpClient>;
  /** The credential every client uses (for tokens of other audiences, e.g. an AKS API server). */
  credential(): Promise<TokenCredential>;
  /** The ARM endpoint, without a trailing slash. */
  readonly endpoint: string;
}

const apiCallPolicyName = 'failoverApiCallPolicy';

/**
 * Reports every request (each retry included: the policy sits after the retry
 * policy) to the calling adapter's `onApiCall`, and remembers the Retry-After
 * of each response so waits can honour it.
 */
function apiCallPolicy(): PipelinePolicy {
  return {
    name: apiCallPolicyName,
    async sendRequest(request, next) {
      const context = callContexts().getStore();
      if (context?.onApiCall) {
        const { operation, mutating } = armOperation(request.method, request.url);
        context.onApiCall({ provider: context.provider, operation, mutating });
      }
      const response = await next(request);
      if (context) context.lastRetryAfterMs = retryAfterMs(response.headers);
      return response;
    },
  };
}

export function createAzureClients(settings: AzureSettings): AzureClients {
  const endpoint = (settings.endpoint ?? 'https://management.azure.com').replace(/\/+$/, '');
  let credential: Promise<TokenCredential> | undefined;
  const once = <T>(create: () => Promise<T>) => {
    let value: Promise<T> | undefined;
    return () => {
      value ??= create().catch((error: unknown) => {
        value = undefined; // a failed import or credential may work next time
        throw error;
      });
      return value;
    };
  };

  const getCredential = () => {
    credential ??= settings.credential
      ? Promise.resolve(settings.credential)
      : import('@azure/identity').then(({ DefaultAzureCredential }) => new DefaultAzureCredential());
    return credential;
  };

  // One per createAzure(): its clients share the subscription's pauses after a 429.
  const retryPolicy = azureRetryPolicy(settings.time, settings.retry);
  const commonOptions = () => ({
    ...(settings.endpoint !== undefined && { endpoint }),
    ...(settings.httpClient !== undefined && { httpClient: settings.httpClient }),
    ...(settings.retryOptions !== undefined && { retryOptions: settings.retryOptions }),
    additionalPolicies: [
      { policy: retryPolicy, position: 'perCall' as const },
      { policy: apiCallPolicy(), position: 'perRetry' as const },
    ],
    userAgentOptions: { userAgentPrefix: 'failover-azure' },
  });

  return {
    settings,
    endpoint,
    credential: getCredential,
    trafficManager: once(async () => {
      const [{ TrafficManagerManagementClient }, cred] = await Promise.all([
        import('@azure/arm-trafficmanager'),
        getCredential(),
      ]);
      return new TrafficManagerManagementClient(cred, settings.subscriptionId, commonOptions());
    }),
    monitor: once(async () => {
      const [{ MonitorClient }, cred] = await Promise.all([import('@azure/arm-monitor'), getCredential()]);
      return new MonitorClient(cred, settings.subscriptionId, commonOptions());
    }),
    sql: once(async () => {
      const [{ SqlManagementClient }, cred] = await Promise.all([import('@azure/arm-sql'), getCredential()]);
      return new SqlManagementClient(cred, settings.subscriptionId, commonOptions());
    }),
    containerService: once(async () => {
      const [{ ContainerServiceClient }, cred] = await Promise.all([
        import('@azure/arm-containerservice'),
        getCredential(),
      ]);
      return new ContainerServiceClient(cred, settings.subscriptionId, {
        ...commonOptions(),
        ...(settings.aksApiVersion !== undefined && { apiVersion: settings.aksApiVersion }),
        // The AKS client asks for a management.azure.com token whatever its endpoint; a sovereign
        // cloud needs its own audience, as the other two clients derive from `endpoint`.
        ...(settings.endpoint !== undefined && { credentials: { scopes: [`${endpoint}/.default`] } }),
      });
    }),
    httpClient: once(async () => {
      if (settings.httpClient) return settings.httpClient;
      const { createDefaultHttpClient } = await import('@azure/core-rest-pipeline');
      return createDefaultHttpClient();
    }),
  };
}
