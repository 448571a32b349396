import type { GetHealthCheckStatusCommandOutput } from '@aws-sdk/client-route-53';
import { attempt, type SignalSourceV1 } from '@failover/core';
import { awsSend } from '../aws-call.js';
import type { AwsClients } from '../aws-clients.js';
import { readCallOptions } from './aws-signal-read.js';

/** Options of `aws.healthCheckSource`. */
export interface Route53HealthCheckSourceOptions {
  id: string;
  healthCheckId: string;
  /**
   * The checker regions expected to report: the quorum's M. Default Route 53's
   * eight default checker regions.
   */
  checkerRegions?: readonly string[];
}

const provider = 'aws.route53';

/** Route 53's default health checker regions. */
export const defaultCheckerRegions = [
  'us-east-1',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'sa-east-1',
] as const;

/**
 * A Route 53 health check as a signal: GetHealthCheckStatus, one sample per
 * checker region's last observation (`Success…` is `up`, anything else
 * `down`), from vantage `route53:<region>`, at its CheckedTime. Route 53's API
 * is served from us-east-1: with that region dark the read fails, so pair it
 * with a source that does not depend on it.
 */
export function createRoute53HealthCheckSource(
  clients: AwsClients,
  options: Route53HealthCheckSourceOptions,
): SignalSourceV1 {
  const regions = options.checkerRegions ?? defaultCheckerRegions;
  return {
    specificationVersion: 'v1',
    id: options.id,
    kind: 'health-check',
    provider,
    vantagePoints: regions.map((region) => `route53:${region}`),
    read: (query) =>
      attempt(
        async () => {
          const out = await awsSend<GetHealthCheckStatusCommandOutput, 'route53'>(
            clients,
            {
              provider,
              service: 'route53',
              region: 'us-east-1',
              operation: 'GetHealthCheckStatus',
              mutating: false,
            },
            (sdk) => new sdk.GetHealthCheckStatusCommand({ HealthCheckId: options.healthCheckId }),
            readCallOptions(clients, query),
          );
          return (out.HealthCheckObservations ?? []).map((observation) => {
            const status = observation.StatusReport?.Status ?? '';
            return {
              at: observation.StatusReport?.CheckedTime?.getTime() ?? query.at,
              vantage: `route53:${observation.Region ?? 'unknown'}`,
              status: status.startsWith('Success') ? ('up' as const) : ('down' as const),
              detail: `${options.healthCheckId} from ${observation.Region ?? 'unknown'}: ${status}`,
            };
          });
        },
        { provider, operation: 'GetHealthCheckStatus' },
      ),
  };
}
