import { type AwsSeed, type Emulator, startEmulator } from '@failover/emulator';
import { type AwsProvider, type AwsSettings, createAws } from '../src/index.js';

/** Any SigV4 signature passes: the emulator reads the region from the credential scope and never checks the signature. */
export const credentials = { accessKeyId: 'AKIDEMULATOR0000', secretAccessKey: 'emulator-secret' };

export const zoneId = 'Z0ECOMMERCE123';

/** The AWS half of the seed runbooks: api.ecommerce.com on failover routing, Aurora global, Multi-AZ RDS with a DR replica, EKS in both regions. */
export function awsWorld(overrides: Partial<AwsSeed> = {}): AwsSeed {
  return {
    route53: {
      healthChecks: [
        { id: 'hc-primary', fqdn: 'ecommerce-alb-us-east-1.elb.amazonaws.com' },
        { id: 'hc-secondary', fqdn: 'ecommerce-alb-us-west-2.elb.amazonaws.com' },
        { id: 'hc-alias-east', fqdn: 'ecommerce-alb-us-east-1.elb.amazonaws.com' },
        { id: 'hc-alias-west', fqdn: 'ecommerce-alb-us-west-2.elb.amazonaws.com' },
      ],
      hostedZones: [
        {
          id: zoneId,
          name: 'ecommerce.com',
          recordSets: [
            {
              name: 'api.ecommerce.com',
              type: 'A',
              ttl: 60,
              values: ['192.0.2.10'],
              setIdentifier: 'primary',
              failover: 'PRIMARY',
              healthCheckId: 'hc-primary',
            },
            {
              name: 'api.ecommerce.com',
              type: 'A',
              ttl: 60,
              values: ['198.51.100.10'],
              setIdentifier: 'secondary',
              failover: 'SECONDARY',
              healthCheckId: 'hc-secondary',
            },
            {
              name: 'www.ecommerce.com',
              type: 'A',
              ttl: 60,
              values: ['192.0.2.20'],
              setIdentifier: 'east',
              weight: 100,
            },
            {
              name: 'www.ecommerce.com',
              type: 'A',
              ttl: 60,
              values: ['198.51.100.20'],
              setIdentifier: 'west',
              weight: 0,
            },
            {
              name: 'shop.ecommerce.com',
              type: 'A',
              setIdentifier: 'primary',
              failover: 'PRIMARY',
              healthCheckId: 'hc-alias-east',
              alias: {
                hostedZoneId: 'Z35SXDOTRQ7X7K',
                dnsName: 'ecommerce-alb-us-east-1.elb.amazonaws.com',
                evaluateTargetHealth: true,
              },
            },
            {
              name: 'shop.ecommerce.com',
              type: 'A',
              setIdentifier: 'secondary',
              failover: 'SECONDARY',
              healthCheckId: 'hc-alias-west',
              alias: {
                hostedZoneId: 'Z1H1FL5HABSF5',
                dnsName: 'ecommerce-alb-us-west-2.elb.amazonaws.com',
                evaluateTargetHealth: true,
              },
            },
            { name: 'status.ecommerce.com', type: 'A', ttl: 300, values: ['192.0.2.30'] },
          ],
        },
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

/**
 * An emulator on a manual clock by default: every wait of the adapters advances
 * it, none sleeps for real. Runs of the executor, which sleeps concurrently
 * (deadlines beside polls), need a scaled clock instead (`timeScale: 1000`).
 */
export function startAwsEmulator(
  seed: AwsSeed = awsWorld(),
  durations?: Record<string, number>,
  timeScale = 0,
): Promise<Emulator> {
  return startEmulator({ timeScale, seed: { aws: seed }, ...(durations && { durations }) });
}

/**
 * The AWS adapters pointed at the emulator, waiting on its clock. SDK retries
 * are off unless asked for (they sleep in real time); the adapter's own
 * retries run on the emulator clock.
 */
export function awsOn(emulator: Emulator, settings: Partial<AwsSettings> = {}): AwsProvider {
  return createAws({
    region: 'us-east-1',
    credentials,
    endpoints: {
      route53: emulator.endpoint('aws.route53'),
      rds: emulator.endpoint('aws.rds'),
      eks: emulator.endpoint('aws.eks'),
      cloudwatch: emulator.endpoint('aws.cloudwatch'),
    },
    time: emulator.clock,
    ...settings,
    clientConfig: { maxAttempts: 1, ...settings.clientConfig },
  });
}

/** Mutating requests the emulator received (injected failures included). */
export const mutations = (emulator: Emulator, service?: string): number =>
  emulator.requests.count({ mutating: true, ...(service && { service }) });
