import { EKSClient } from '@aws-sdk/client-eks';
import { RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import type { AwsSeed, Emulator } from '../src/index.js';

/** Any SigV4 signature passes: the emulator reads the credential scope and never verifies the signature. */
export const credentials = { accessKeyId: 'AKIDEMULATOR0000', secretAccessKey: 'emulator-secret' };

/**
 * A retry strategy in the SDK's own RetryStrategyV2 shape, with 5 ms delays:
 * the SDK's retry middleware still classifies each error (THROTTLING,
 * TRANSIENT, CLIENT_ERROR) and decides; only the real-time wait is short.
 */
export function fastRetries(maxAttempts = 3) {
  const token = (count: number) => ({ getRetryCount: () => count, getRetryDelay: () => 5 });
  return {
    mode: 'standard',
    acquireInitialRetryToken: async () => token(0),
    refreshRetryTokenForRetry: async (previous: { getRetryCount(): number }, info: { errorType: string }) => {
      const retryable = info.errorType === 'THROTTLING' || info.errorType === 'TRANSIENT';
      if (!retryable || previous.getRetryCount() + 1 >= maxAttempts)
        throw new Error('No retry token available');
      return token(previous.getRetryCount() + 1);
    },
    recordSuccess: () => {},
  };
}

export function route53(
  emulator: Emulator,
  options: { maxAttempts?: number; defaultRetries?: boolean } = {},
) {
  return new Route53Client({
    region: 'us-east-1',
    endpoint: emulator.endpoint('aws.route53'),
    credentials,
    ...(options.defaultRetries ? {} : { retryStrategy: fastRetries(options.maxAttempts) }),
  });
}

export function rds(emulator: Emulator, region: string, options: { maxAttempts?: number } = {}) {
  return new RDSClient({
    region,
    endpoint: emulator.endpoint('aws.rds'),
    credentials,
    retryStrategy: fastRetries(options.maxAttempts),
  });
}

export function eks(emulator: Emulator, region: string, options: { maxAttempts?: number } = {}) {
  return new EKSClient({
    region,
    endpoint: emulator.endpoint('aws.eks'),
    credentials,
    retryStrategy: fastRetries(options.maxAttempts),
  });
}

export const zoneId = 'Z0ECOMMERCE123';

/** The AWS world of the seed runbooks: api.ecommerce.com on failover routing, Aurora global, Multi-AZ RDS, EKS in two regions. */
export function awsSeed(overrides: Partial<AwsSeed> = {}): AwsSeed {
  return {
    route53: {
      healthChecks: [
        { id: 'hc-primary', fqdn: 'ecommerce-alb-us-east-1.elb.amazonaws.com', healthy: true },
        { id: 'hc-secondary', fqdn: 'ecommerce-alb-us-west-2.elb.amazonaws.com', healthy: true },
      ],
      hostedZones: [
        {
          id: zoneId,
          name: 'ecommerce.com',
          recordSets: [
            {
              name: 'api.ecommerce.com',
              type: 'A',
              setIdentifier: 'primary',
              failover: 'PRIMARY',
              healthCheckId: 'hc-primary',
              alias: {
                hostedZoneId: 'Z35SXDOTRQ7X7K',
                dnsName: 'ecommerce-alb-us-east-1.elb.amazonaws.com',
                evaluateTargetHealth: true,
              },
            },
            {
              name: 'api.ecommerce.com',
              type: 'A',
              setIdentifier: 'secondary',
              failover: 'SECONDARY',
              healthCheckId: 'hc-secondary',
              alias: {
                hostedZoneId: 'Z1H1FL5HABSF5',
                dnsName: 'ecommerce-alb-us-west-2.elb.amazonaws.com',
                evaluateTargetHealth: true,
              },
            },
            {
              name: 'shop.ecommerce.com',
              type: 'CNAME',
              setIdentifier: 'east',
              weight: 100,
              ttl: 60,
              values: ['east.shop.ecommerce.com'],
            },
            {
              name: 'shop.ecommerce.com',
              type: 'CNAME',
              setIdentifier: 'west',
              weight: 0,
              ttl: 60,
              values: ['west.shop.ecommerce.com'],
            },
            { name: 'status.ecommerce.com', type: 'A', ttl: 300, values: ['192.0.2.10'] },
          ],
        },
        { id: 'Z0INTERNAL456', name: 'internal.ecommerce.com', privateZone: true },
      ],
    },
    rds: {
      globalClusters: [
        {
          id: 'ecommerce-global',
          members: [
            {
              id: 'ecommerce-primary',
              region: 'us-east-1',
              writer: true,
              instances: ['ecommerce-primary-1', 'ecommerce-primary-2'],
            },
            {
              id: 'ecommerce-secondary',
              region: 'us-west-2',
              lagMs: 40,
              instances: ['ecommerce-secondary-1'],
            },
          ],
        },
      ],
      instances: [
        {
          id: 'aegis-db',
          region: 'us-east-1',
          multiAz: true,
          readReplicas: [{ id: 'aegis-db-replica', region: 'us-west-2' }],
        },
        { id: 'reports-db', region: 'us-east-1' },
      ],
    },
    eks: {
      clusters: [
        {
          name: 'ecommerce-prod',
          region: 'us-east-1',
          nodegroups: [{ name: 'primary', minSize: 3, maxSize: 10, desiredSize: 6 }],
        },
        {
          name: 'ecommerce-prod',
          region: 'us-west-2',
          nodegroups: [{ name: 'primary', minSize: 1, maxSize: 10, desiredSize: 2 }],
        },
      ],
    },
    ...overrides,
  };
}
