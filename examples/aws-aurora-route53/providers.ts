// Binds the plan's provider names (`route53`, `aurora`, `eks`, `k8s-west`) to the AWS and
// Kubernetes adapters on the real AWS SDK and Kubernetes clients, pointed at @failover/emulator, and seeds the emulator with the
// e-commerce platform before the failover. A providers module for the CLI:
//
//   failover drill examples/aws-aurora-route53/plan.ts --providers examples/aws-aurora-route53/providers.ts
import { createAws } from '@failover/aws';
import { defineProviders } from '@failover/cli';
import type { EmulatorSeed } from '@failover/emulator';
import { connectionFromAccess, kubernetesResources } from '@failover/kubernetes';
import { ecommerce } from './plan.js';

const albs = {
  'us-east-1': { ip: '192.0.2.10', fqdn: 'ecommerce-alb-us-east-1.us-east-1.elb.amazonaws.com' },
  'us-west-2': { ip: '198.51.100.10', fqdn: 'ecommerce-alb-us-west-2.us-west-2.elb.amazonaws.com' },
};

/**
 * The platform before the failover: `api.ecommerce.com` on Route 53 failover routing
 * (PRIMARY us-east-1, SECONDARY us-west-2, each gated by a health check on its ALB, TTL
 * 60 s), the Aurora Global Database with its writer in us-east-1 and a secondary in
 * us-west-2 lagging 40 ms (the emulator's CloudWatch serves it as
 * `AuroraGlobalDBReplicationLag`), and the EKS cluster in both regions: production capacity in
 * us-east-1, a warm standby of 2 nodes in us-west-2.
 */
export const seed: EmulatorSeed = {
  // The clusters' API servers, reached from DescribeCluster's endpoints with EKS tokens: the
  // web tier at full size in us-east-1, warm (one pod each) in us-west-2, where Velero's hourly
  // schedule last completed a backup 25 minutes ago.
  kubernetes: {
    clusters: [
      {
        name: `eks.us-east-1.${ecommerce.standbyPool.cluster}`,
        region: 'us-east-1',
        auth: 'eks',
        workloads: [
          { kind: 'Deployment', namespace: 'shop', name: 'checkout', replicas: 4, labels: { tier: 'web' } },
          { kind: 'Deployment', namespace: 'shop', name: 'storefront', replicas: 3, labels: { tier: 'web' } },
        ],
      },
      {
        name: `eks.us-west-2.${ecommerce.standbyPool.cluster}`,
        region: 'us-west-2',
        auth: 'eks',
        workloads: [
          { kind: 'Deployment', namespace: 'shop', name: 'checkout', replicas: 1, labels: { tier: 'web' } },
          { kind: 'Deployment', namespace: 'shop', name: 'storefront', replicas: 1, labels: { tier: 'web' } },
        ],
        velero: {
          backups: [
            {
              name: 'hourly-20261206230000',
              schedule: ecommerce.veleroSchedule,
              completedAgoMs: 85 * 60_000,
            },
            {
              name: 'hourly-20261207000000',
              schedule: ecommerce.veleroSchedule,
              completedAgoMs: 25 * 60_000,
            },
          ],
        },
      },
    ],
  },
  aws: {
    route53: {
      healthChecks: [
        { id: 'hc-api-us-east-1', type: 'HTTPS', fqdn: albs['us-east-1'].fqdn, resourcePath: '/health' },
        { id: 'hc-api-us-west-2', type: 'HTTPS', fqdn: albs['us-west-2'].fqdn, resourcePath: '/health' },
      ],
      hostedZones: [
        {
          id: 'Z0ECOMMERCE0001',
          name: ecommerce.record.zone,
          recordSets: [
            {
              name: ecommerce.record.name,
              type: 'A',
              ttl: 60,
              values: [albs['us-east-1'].ip],
              setIdentifier: 'us-east-1',
              failover: 'PRIMARY',
              healthCheckId: 'hc-api-us-east-1',
            },
            {
              name: ecommerce.record.name,
              type: 'A',
              ttl: 60,
              values: [albs['us-west-2'].ip],
              setIdentifier: 'us-west-2',
              failover: 'SECONDARY',
              healthCheckId: 'hc-api-us-west-2',
            },
          ],
        },
      ],
    },
    rds: {
      globalClusters: [
        {
          id: ecommerce.database.id,
          engine: 'aurora-postgresql',
          engineVersion: '15.4',
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
              instances: ['ecommerce-secondary-1', 'ecommerce-secondary-2'],
            },
          ],
        },
      ],
    },
    eks: {
      clusters: [
        {
          name: ecommerce.standbyPool.cluster,
          region: 'us-east-1',
          version: '1.30',
          nodegroups: [{ name: ecommerce.standbyPool.pool, minSize: 3, maxSize: 12, desiredSize: 6 }],
        },
        {
          name: ecommerce.standbyPool.cluster,
          region: 'us-west-2',
          version: '1.30',
          nodegroups: [
            {
              name: ecommerce.standbyPool.pool,
              minSize: 2,
              maxSize: 12,
              desiredSize: ecommerce.warmNodes,
            },
          ],
        },
      ],
    },
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
    region: ecommerce.targetRegion,
    credentials: emulatorCredentials,
    endpoints: {
      route53: `${emulator.url}/aws/route53`,
      rds: `${emulator.url}/aws/rds`,
      eks: `${emulator.url}/aws/eks`,
      // Where the Aurora provider reads replication lag (AuroraGlobalDBReplicationLag).
      cloudwatch: `${emulator.url}/aws/monitoring`,
    },
    // Waits, polls and backoffs run on the emulator's scaled clock; so do retries, by the
    // adapter's own retries of each request inside the step's deadline (the SDK's would
    // sleep in real time, 600 times too long).
    time: emulator.clock,
    clientConfig: { maxAttempts: 1 },
    // A deterministic drill's seeded jitter: retries back off the same way on every run.
    retry: { random: emulator.random },
  });
  // The clusters' API servers, found from the EKS references alone (no kubeconfig, no CLI).
  const cluster = (region: string) =>
    connectionFromAccess(aws.clusterAccess({ cluster: ecommerce.standbyPool.cluster, region }), {
      time: emulator.clock,
    });
  return {
    route53: aws.dnsProvider({ hostedZone: ecommerce.record.zone }),
    aurora: aws.databaseFailover(),
    eks: aws.clusterScaler(),
    'k8s-west': kubernetesResources({
      connection: cluster(ecommerce.targetRegion),
      // Where `percentOfSource` reads the replicas to match.
      source: {
        connection: cluster(ecommerce.sourceRegion),
        name: `${ecommerce.sourceRegion}/${ecommerce.standbyPool.cluster}`,
      },
      time: emulator.clock,
    }),
  };
});
