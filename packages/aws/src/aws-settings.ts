import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { EKSClient } from '@aws-sdk/client-eks';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { Route53Client, Route53ClientConfig } from '@aws-sdk/client-route-53';
import type { Time } from '@failover/core';
import type { AwsRateLimit } from './aws-rate-budget.js';

/** The AWS services the adapters call (`cloudwatch`: Aurora replication lag, read by `describe`). */
export type AwsService = 'route53' | 'rds' | 'eks' | 'cloudwatch';

/** Static credentials or a provider of them, as the AWS SDK takes them (e.g. `fromTemporaryCredentials(...)`). */
export type AwsCredentials = NonNullable<Route53ClientConfig['credentials']>;

/** SDK client settings passed through to every client the adapters create. */
export type AwsClientConfig = Pick<
  Route53ClientConfig,
  | 'maxAttempts'
  | 'retryMode'
  | 'retryStrategy'
  | 'requestHandler'
  | 'logger'
  | 'useFipsEndpoint'
  | 'customUserAgent'
>;

/**
 * Retries of transient failures inside one provider call, on the injected clock:
 * a read on throttling, 5xx, resets and timeouts, a mutation only when throttled.
 * They are a budget of time: they stop before the call's `deadlineAt` (the step's deadline).
 */
export interface AwsRetrySettings {
  /** Tries per AWS call, on top of the SDK’s own retries. Default: no count, only the deadline; 1 leaves retrying to the executor. */
  maxAttempts?: number;
  /** Ceiling of the first pause (full jitter under it); doubles per try. A service's retry-after wins when longer. Default 500 ms. */
  baseDelayMs?: number;
  /** Largest ceiling of a pause. Default 20 000 ms. */
  maxDelayMs?: number;
  /** Source of the jitter, in [0, 1): a seeded one makes retries deterministic. Default `Math.random`. */
  random?: () => number;
}

/** Settings of `createAws`. Everything is optional; nothing is resolved until the first call. */
export interface AwsSettings {
  /**
   * Region of RDS and EKS calls whose ref or options do not name one. Never
   * guessed: without it such a call fails with `invalid-input` before reaching AWS.
   */
  region?: string;
  /** Default: the AWS SDK default credential chain (environment, profile, SSO, IMDS...), resolved lazily by the SDK. */
  credentials?: AwsCredentials;
  /**
   * Endpoints per service, e.g. the emulator's `emulator.endpoint('aws.route53')` or a VPC
   * endpoint. Name `cloudwatch` too when you redirect `rds`: the Aurora provider reads
   * replication lag from CloudWatch (`emulator.endpoint('aws.cloudwatch')`).
   */
  endpoints?: Partial<Record<AwsService, string>>;
  /** Passed to every SDK client (retry strategy, request handler, logger...). */
  clientConfig?: AwsClientConfig;
  /** Build the SDK clients yourself (custom middleware, tests). Credentials and endpoints above are then yours to set. */
  clients?: {
    route53?: () => Route53Client;
    rds?: (region: string) => RDSClient;
    eks?: (region: string) => EKSClient;
    cloudwatch?: (region: string) => CloudWatchClient;
  };
  /** The clock waits and backoffs run on. Default: real time. */
  time?: Time;
  retry?: AwsRetrySettings;
  /**
   * Request budgets per service and account, shared by every provider this
   * factory vends. Default: Route 53 at 5 requests per second (its account
   * limit); RDS, EKS and CloudWatch unlimited. `false` turns one off.
   */
  rateLimits?: Partial<Record<AwsService, AwsRateLimit | false>>;
  /** Names the account for the shared rate budgets. Default `default`. */
  account?: string;
}

/**
 * Access options every vended provider takes: another identity for a
 * resource in another account (pass a role-assuming credential provider,
 * e.g. `fromTemporaryCredentials({ params: { RoleArn } })` from
 * `@aws-sdk/credential-providers`), and the account its rate budget belongs to.
 */
export interface AwsResourceAccess {
  credentials?: AwsCredentials;
  /** Rate-budget key; providers with the same account share one budget. Default: the factory's `account`. */
  account?: string;
}
