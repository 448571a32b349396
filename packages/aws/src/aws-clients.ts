import { EKSClient } from '@aws-sdk/client-eks';
import { RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import { realTime, type Time } from '@failover/core';
import { AwsRateBudgets } from './aws-rate-budget.js';
import type { AwsResourceAccess, AwsRetrySettings, AwsService, AwsSettings } from './aws-settings.js';

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
      maxAttempts: Math.max(1, Math.floor(settings.retry?.maxAttempts ?? 4)),
      baseDelayMs: Math.max(0, settings.retry?.baseDelayMs ?? 1_000),
      maxDelayMs: Math.max(0, settings.retry?.maxDelayMs ?? 20_000),
    },
    budgets: new AwsRateBudgets(time, { route53: { ratePerSecond: 5 }, ...settings.rateLimits }),
  };
}

/**
 * The SDK clients of one provider, created on first use and kept per region.
 * Nothing here runs at import time or at construction.
 */
export class AwsClients {
  private route53Client?: Route53Client;
  private readonly rdsClients = new Map<string, RDSClient>();
  private readonly eksClients = new Map<string, EKSClient>();

  constructor(
    readonly runtime: AwsRuntime,
    private readonly access: AwsResourceAccess = {},
  ) {}

  get account(): string {
    return this.access.account ?? this.runtime.settings.account ?? 'default';
  }

  private config(service: AwsService, region: string) {
    const { settings } = this.runtime;
    const credentials = this.access.credentials ?? settings.credentials;
    const endpoint = settings.endpoints?.[service];
    return {
      region,
      ...settings.clientConfig,
      ...(credentials !== undefined && { credentials }),
      ...(endpoint !== undefined && { endpoint }),
    };
  }

  route53(): Route53Client {
    // Route 53 is global: its API lives in us-east-1 for the aws partition.
    this.route53Client ??=
      this.runtime.settings.clients?.route53?.() ?? new Route53Client(this.config('route53', 'us-east-1'));
    return this.route53Client;
  }

  rds(region: string): RDSClient {
    let client = this.rdsClients.get(region);
    if (!client) {
      client = this.runtime.settings.clients?.rds?.(region) ?? new RDSClient(this.config('rds', region));
      this.rdsClients.set(region, client);
    }
    return client;
  }

  eks(region: string): EKSClient {
    let client = this.eksClients.get(region);
    if (!client) {
      client = this.runtime.settings.clients?.eks?.(region) ?? new EKSClient(this.config('eks', region));
      this.eksClients.set(region, client);
    }
    return client;
  }
}
