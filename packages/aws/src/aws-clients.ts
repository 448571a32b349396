import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { EKSClient } from '@aws-sdk/client-eks';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { Route53Client } from '@aws-sdk/client-route-53';
import { FailoverError, realTime, type Time } from '@failover/core';
import { AwsRateBudgets } from './aws-rate-budget.js';
import type { AwsResourceAccess, AwsRetrySettings, AwsService, AwsSettings } from './aws-settings.js';

/** The SDK module of each service, loaded on first use so importing `@failover/aws` loads no AWS SDK. */
export interface AwsSdkModules {
  route53: typeof import('@aws-sdk/client-route-53');
  rds: typeof import('@aws-sdk/client-rds');
  eks: typeof import('@aws-sdk/client-eks');
  cloudwatch: typeof import('@aws-sdk/client-cloudwatch');
}

interface AwsSdkClients {
  route53: Route53Client;
  rds: RDSClient;
  eks: EKSClient;
  cloudwatch: CloudWatchClient;
}

const loaders: { [S in AwsService]: () => Promise<AwsSdkModules[S]> } = {
  route53: () => import('@aws-sdk/client-route-53'),
  rds: () => import('@aws-sdk/client-rds'),
  eks: () => import('@aws-sdk/client-eks'),
  cloudwatch: () => import('@aws-sdk/client-cloudwatch'),
};

/** What the providers vended by one `createAws` share: settings, clock, retry policy, rate budgets. */
export interface AwsRuntime {
  settings: AwsSettings;
  time: Time;
  retry: Required<AwsRetrySettings>;
  budgets: AwsRateBudgets;
}

export function createAwsRuntime(settings: AwsSettings): AwsRuntime {
  const time = settings.time ?? realTime;
  return {
    settings,
    time,
    retry: {
      maxAttempts: Math.max(1, Math.floor(settings.retry?.maxAttempts ?? Number.POSITIVE_INFINITY)),
      baseDelayMs: Math.max(0, settings.retry?.baseDelayMs ?? 500),
      maxDelayMs: Math.max(0, settings.retry?.maxDelayMs ?? 20_000),
      random: settings.retry?.random ?? Math.random,
    },
    budgets: new AwsRateBudgets(time, { route53: { ratePerSecond: 5 }, ...settings.rateLimits }),
  };
}

/**
 * The SDK clients of one provider, created on first use and kept per region
 * (Route 53 is global and lives in us-east-1). Nothing here runs at import
 * time or at construction; credentials resolve inside the SDK on the first request.
 */
export class AwsClients {
  private readonly clients = new Map<string, Promise<{ client: unknown; sdk: unknown }>>();

  constructor(
    readonly runtime: AwsRuntime,
    private readonly access: AwsResourceAccess = {},
  ) {}

  get account(): string {
    return this.access.account ?? this.runtime.settings.account ?? 'default';
  }

  /** The client of `service` in `region`, with its SDK module for building commands. */
  get<S extends AwsService>(
    service: S,
    region: string,
  ): Promise<{ client: AwsSdkClients[S]; sdk: AwsSdkModules[S] }> {
    const key = `${service}|${service === 'route53' ? 'us-east-1' : region}`;
    let entry = this.clients.get(key);
    if (!entry) {
      entry = loaders[service]().then((sdk) => ({ sdk, client: this.create(service, sdk, region) }));
      // A failed load (a broken install) is not cached, so the next call tries again.
      entry.catch(() => this.clients.delete(key));
      this.clients.set(key, entry);
    }
    return entry as Promise<{ client: AwsSdkClients[S]; sdk: AwsSdkModules[S] }>;
  }

  private create(service: AwsService, sdk: unknown, region: string): unknown {
    const { settings } = this.runtime;
    const custom = settings.clients;
    if (service === 'route53' && custom?.route53) return custom.route53();
    if (service === 'rds' && custom?.rds) return custom.rds(region);
    if (service === 'eks' && custom?.eks) return custom.eks(region);
    if (service === 'cloudwatch' && custom?.cloudwatch) return custom.cloudwatch(region);
    const credentials = this.access.credentials ?? settings.credentials;
    const endpoint = settings.endpoints?.[service];
    if (endpoint === undefined) refuseHalfRedirectedEndpoints(service, settings.endpoints);
    const config = {
      region: service === 'route53' ? 'us-east-1' : region,
      ...settings.clientConfig,
      ...(credentials !== undefined && { credentials }),
      ...(endpoint !== undefined && { endpoint }),
    };
    if (service === 'route53') return new (sdk as AwsSdkModules['route53']).Route53Client(config);
    if (service === 'rds') return new (sdk as AwsSdkModules['rds']).RDSClient(config);
    if (service === 'cloudwatch') return new (sdk as AwsSdkModules['cloudwatch']).CloudWatchClient(config);
    return new (sdk as AwsSdkModules['eks']).EKSClient(config);
  }
}

const loopbackHost = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

function isLoopback(endpoint: string): boolean {
  try {
    return loopbackHost.test(new URL(endpoint).hostname);
  } catch {
    return false;
  }
}

/**
 * Endpoints that send some services to loopback (an emulator, a test proxy) and
 * leave `service` to the SDK's default would send it to the real cloud: never
 * what was meant, and a test that does so reaches beyond its machine. Refused
 * before any client exists, naming the missing key.
 */
function refuseHalfRedirectedEndpoints(service: AwsService, endpoints: AwsSettings['endpoints']): void {
  const redirected = Object.entries(endpoints ?? {}).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string' && isLoopback(entry[1]),
  );
  if (redirected.length === 0) return;
  throw new FailoverError({
    kind: 'invalid-input',
    message: `createAws: endpoints send ${redirected.map(([name]) => name).join(', ')} to loopback but name no endpoint for ${service}, which would go to the real AWS endpoint. Add endpoints.${service}.`,
    provider: 'aws',
    operation: `${service} client`,
    path: `endpoints.${service}`,
  });
}
