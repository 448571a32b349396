// Binds the region-outage plan's providers (`arc`, `aurora`, `eks`) to the AWS adapters on
// the real SDK clients, pointed at @failover/emulator, seeds the world before the outage, and
// names the outage itself for `failover drill --scenario region-outage`.
import { createAws } from '@failover/aws';
import { defineProviders } from '@failover/cli';
import type { EmulatorSeed, RegionBlackout } from '@failover/emulator';
import { outage } from './plan.js';

const panel = 'arn:aws:route53-recovery-control::123456789012:controlpanel/0e5c0mmerce0panel';
/** One routing control per region; each gates that region's Route 53 failover record. */
export const routingControls = {
  'us-east-1': `${panel}/routingcontrol/use1api00000000a`,
  'us-west-2': `${panel}/routingcontrol/usw2api00000000b`,
};
/** The ARC cluster's five regional endpoints (DescribeCluster's ClusterEndpoints). */
export const clusterRegions = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-northeast-1', 'ap-southeast-2'];

/**
 * Before the outage: api.ecommerce.com on Route 53 failover records, each gated by a
 * RECOVERY_CONTROL health check on its region's routing control (both On); the Aurora
 * Global Database writing in us-east-1 with us-west-2 40 ms behind; EKS with 6 production
 * nodes in us-east-1 and 2 warm ones in us-west-2.
 */
export const seed: EmulatorSeed = {
  aws: {
    arc: {
      clusterRegions,
      routingControls: Object.values(routingControls).map((arn) => ({ arn, state: 'On' as const })),
    },
    route53: {
      healthChecks: [
        { id: 'hc-arc-us-east-1', type: 'RECOVERY_CONTROL', routingControlArn: routingControls['us-east-1'] },
        { id: 'hc-arc-us-west-2', type: 'RECOVERY_CONTROL', routingControlArn: routingControls['us-west-2'] },
      ],
      hostedZones: [
        {
          id: 'Z0ECOMMERCE0001',
          name: 'ecommerce.com.',
          recordSets: [
            {
              name: outage.apiName,
              type: 'A',
              ttl: 60,
              values: ['192.0.2.10'],
              setIdentifier: 'us-east-1',
              failover: 'PRIMARY',
              healthCheckId: 'hc-arc-us-east-1',
            },
            {
              name: outage.apiName,
              type: 'A',
              ttl: 60,
              values: ['198.51.100.10'],
              setIdentifier: 'us-west-2',
              failover: 'SECONDARY',
              healthCheckId: 'hc-arc-us-west-2',
            },
          ],
        },
      ],
    },
    rds: {
      globalClusters: [
        {
          id: outage.database.id,
          engine: 'aurora-postgresql',
          engineVersion: '15.4',
          members: [
            {
              id: 'ecommerce-primary',
              region: 'us-east-1',
              writer: true,
              instances: ['ecommerce-primary-1'],
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
    },
    eks: {
      clusters: [
        {
          name: outage.sourcePool.cluster,
          region: 'us-east-1',
          version: '1.30',
          nodegroups: [{ name: outage.sourcePool.pool, minSize: 3, maxSize: 12, desiredSize: 6 }],
        },
        {
          name: outage.standbyPool.cluster,
          region: 'us-west-2',
          version: '1.30',
          nodegroups: [{ name: outage.standbyPool.pool, minSize: 2, maxSize: 12, desiredSize: 2 }],
        },
      ],
    },
  },
};

/** `failover drill --scenario <name>`: what goes dark after the warm-up pass and before the run. */
export const scenarios: Record<string, { description: string; blackouts: RegionBlackout[] }> = {
  'region-outage': {
    description:
      'us-east-1 goes dark: every AWS endpoint there, and Route 53’s control plane, drop connections',
    blackouts: [{ cloud: 'aws', region: 'us-east-1', mode: 'drop' }],
  },
};

/** Any SigV4 signature passes: the emulator reads the region from the credential scope. */
const emulatorCredentials = { accessKeyId: 'AKIDEMULATOREXAMPLE', secretAccessKey: 'emulator-not-a-secret' };

export default defineProviders(({ emulator }) => {
  if (!emulator) {
    throw new Error(
      'These providers are bound to the emulator: use `failover drill`, or `failover run --emulator`.',
    );
  }
  const aws = createAws({
    region: outage.targetRegion,
    credentials: emulatorCredentials,
    // Every client on the emulator, Route 53's too, though no provider here builds one (the
    // fence goes through ARC's data plane): a client added later cannot reach AWS.
    endpoints: {
      route53: `${emulator.url}/aws/route53`,
      rds: `${emulator.url}/aws/rds`,
      eks: `${emulator.url}/aws/eks`,
      cloudwatch: `${emulator.url}/aws/monitoring`,
    },
    time: emulator.clock,
    // The SDK's retries would sleep in real time: off. The adapters retry each request on the
    // emulator clock, within the step's deadline; the Aurora adapter gives a dark region's reads
    // 30 s (unreachableAfterMs) and the pool sizing falls back to recorded capacity as quickly.
    clientConfig: { maxAttempts: 1 },
    // A deterministic drill's seeded jitter: retries back off the same way on every run.
    retry: { random: emulator.random },
  });
  return {
    arc: aws.arcRoutingControls({
      clusterEndpoints: clusterRegions.map((region) => ({
        region,
        endpoint: `${emulator.url}/aws/arc/${region}`,
      })),
      records: {
        [outage.apiName]: {
          targets: [
            { id: 'us-east-1', routingControlArn: routingControls['us-east-1'], values: ['192.0.2.10'] },
            { id: 'us-west-2', routingControlArn: routingControls['us-west-2'], values: ['198.51.100.10'] },
          ],
        },
      },
      // Emulator time runs 600x in a drill: two emulated minutes are 200 ms of real time per endpoint.
      endpointTimeoutMs: 120_000,
    }),
    aurora: aws.databaseFailover(),
    eks: aws.clusterScaler(),
  };
});
