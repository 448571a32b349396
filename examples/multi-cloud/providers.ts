// Binds the multi-cloud plan's provider names to the AWS, Azure and Google Cloud adapters
// on their real SDK clients, pointed at @failover/emulator, and seeds the emulator with
// Cloud Aegis before the failover. A providers module for the CLI:
//
//   failover drill examples/multi-cloud/plan.ts --providers examples/multi-cloud/providers.ts
import { createAws } from '@failover/aws';
import { createAzure, createEmulatorHttpClient } from '@failover/azure';
import { defineProviders, type EmulatorContext } from '@failover/cli';
import type { ProviderRegistry } from '@failover/core';
import type { EmulatorSeed } from '@failover/emulator';
import { createGcp, emulatorRootUrls } from '@failover/gcp';
import { connectionFromAccess, type KubernetesConnection, kubernetesResources } from '@failover/kubernetes';
import { aegis } from './plan.js';

const subscriptionId = '5e1f0000-ae91-4000-8000-000000000001';
const gcpProject = 'aegis-prod';

/**
 * Cloud Aegis before the failover, one stack per cloud:
 * - AWS: `aws.api.aegis.io` on Route 53 failover records (PRIMARY us-east-1, SECONDARY
 *   us-west-2, each gated by a health check on its NLB, TTL 60 s); the Aurora Global
 *   Database aegis-global, writer in us-east-1, its us-west-2 secondary 250 ms behind (CloudWatch's
 *   `AuroraGlobalDBReplicationLag` on the emulator); the DR EKS cluster with 2 warm nodes.
 * - Azure: Traffic Manager aegis-tm (Priority routing, TTL 30 s) over the East US and West
 *   US app endpoints; the SQL failover group aegis-fog from aegis-sql (East US) to
 *   aegis-dr-sql (West US); the DR AKS cluster with 2 warm nodes.
 * - Google Cloud: `api.gcp.aegis.io` as a Cloud DNS primary/backup record (primary
 *   us-east1, backup us-central1, TTL 30 s); Cloud SQL aegis-db (HA in us-east1) with its
 *   DR replica aegis-db-dr in us-central1; the regional DR GKE cluster with a warm node per zone.
 */
export const seed: EmulatorSeed = {
  // The DR clusters' API servers, each running the api Deployment warm (one pod), reached from
  // DescribeCluster's endpoint (EKS), the AKS kubeconfig's server, GKE's cluster endpoint.
  kubernetes: {
    clusters: [
      {
        name: `eks.${aegis.aws.drRegion}.${aegis.aws.drPool.cluster}`,
        region: aegis.aws.drRegion,
        auth: 'eks' as const,
      },
      { name: 'aks.aegis-dr-aks', region: aegis.azure.drRegion },
      { name: `gke.${aegis.gcp.drRegion}.${aegis.gcp.drPool.cluster}`, region: aegis.gcp.drRegion },
    ].map((cluster) => ({
      ...cluster,
      workloads: [{ ...aegis.workload, replicas: aegis.warmPods }],
    })),
  },
  aws: {
    route53: {
      healthChecks: [
        { id: 'hc-aegis-us-east-1', type: 'HTTPS', fqdn: 'primary-nlb.us-east-1.elb.amazonaws.com' },
        { id: 'hc-aegis-us-west-2', type: 'HTTPS', fqdn: 'dr-nlb.us-west-2.elb.amazonaws.com' },
      ],
      hostedZones: [
        {
          id: 'Z0AEGIS00000001',
          name: aegis.aws.record.zone,
          recordSets: [
            {
              name: aegis.aws.record.name,
              type: 'CNAME',
              ttl: 60,
              values: ['primary-nlb.us-east-1.elb.amazonaws.com'],
              setIdentifier: aegis.aws.primaryRegion,
              failover: 'PRIMARY',
              healthCheckId: 'hc-aegis-us-east-1',
            },
            {
              name: aegis.aws.record.name,
              type: 'CNAME',
              ttl: 60,
              values: ['dr-nlb.us-west-2.elb.amazonaws.com'],
              setIdentifier: aegis.aws.drRegion,
              failover: 'SECONDARY',
              healthCheckId: 'hc-aegis-us-west-2',
            },
          ],
        },
      ],
    },
    rds: {
      globalClusters: [
        {
          id: aegis.aws.database.id,
          engine: 'aurora-postgresql',
          engineVersion: '15.4',
          members: [
            { id: 'aegis-db-east', region: aegis.aws.primaryRegion, writer: true },
            { id: 'aegis-db-west', region: aegis.aws.drRegion, lagMs: 250 },
          ],
        },
      ],
    },
    eks: {
      clusters: [
        {
          name: 'aegis-primary',
          region: aegis.aws.primaryRegion,
          nodegroups: [{ name: 'primary', minSize: 3, maxSize: 10, desiredSize: 6 }],
        },
        {
          name: aegis.aws.drPool.cluster,
          region: aegis.aws.drRegion,
          nodegroups: [
            { name: aegis.aws.drPool.pool, minSize: 1, maxSize: 10, desiredSize: aegis.warmNodes },
          ],
        },
      ],
    },
  },
  azure: {
    subscriptions: [
      {
        id: subscriptionId,
        resourceGroups: [
          {
            name: 'aegis-rg',
            location: 'East US',
            sqlServers: [{ name: 'aegis-sql', location: 'East US' }],
            trafficManagerProfiles: [
              {
                name: aegis.azure.record.name,
                routingMethod: 'Priority',
                ttl: 30,
                monitor: { protocol: 'HTTPS', port: 443, path: '/health' },
                endpoints: [
                  {
                    name: aegis.azure.primaryEndpoint,
                    target: 'aegis-east.azurewebsites.net',
                    priority: 1,
                    location: 'East US',
                  },
                  {
                    name: aegis.azure.drEndpoint,
                    target: 'aegis-west.azurewebsites.net',
                    priority: 2,
                    location: 'West US',
                  },
                ],
              },
            ],
            managedClusters: [
              {
                name: 'aegis-aks',
                location: 'East US',
                agentPools: [
                  { name: 'system', count: 3, mode: 'System' },
                  { name: 'agentpool', count: 6 },
                ],
              },
            ],
          },
          {
            name: 'aegis-dr-rg',
            location: 'West US',
            sqlServers: [{ name: 'aegis-dr-sql', location: 'West US' }],
            managedClusters: [
              {
                name: 'aegis-dr-aks',
                location: 'West US',
                agentPools: [
                  { name: 'system', count: 1, mode: 'System' },
                  { name: aegis.azure.drPool.pool, count: aegis.warmNodes },
                ],
              },
            ],
          },
        ],
        sqlFailoverGroups: [
          {
            name: 'aegis-fog',
            primary: { resourceGroup: 'aegis-rg', server: 'aegis-sql' },
            secondaries: [{ resourceGroup: 'aegis-dr-rg', server: 'aegis-dr-sql' }],
            readWriteEndpoint: { failoverPolicy: 'Manual' },
            databases: ['aegis'],
          },
        ],
      },
    ],
  },
  gcp: {
    projects: [
      {
        id: gcpProject,
        number: '424242424242',
        managedZones: [
          {
            name: aegis.gcp.record.zone,
            dnsName: 'gcp.aegis.io.',
            recordSets: [
              {
                name: aegis.gcp.record.name,
                type: 'A',
                ttl: 30,
                routingPolicy: {
                  healthCheck: `https://www.googleapis.com/compute/v1/projects/${gcpProject}/global/healthChecks/aegis-api`,
                  primaryBackup: {
                    primaryTargets: { externalEndpoints: ['203.0.113.10'] },
                    backupGeoTargets: {
                      items: [
                        {
                          location: aegis.gcp.drRegion,
                          healthCheckedTargets: { externalEndpoints: [aegis.gcp.drAddress] },
                        },
                      ],
                    },
                    trickleTraffic: 0,
                  },
                },
              },
            ],
          },
        ],
        sqlInstances: [
          {
            name: aegis.gcp.database.id,
            region: aegis.gcp.primaryRegion,
            availabilityType: 'REGIONAL',
            failoverDrReplicaName: 'aegis-db-dr',
          },
          {
            name: 'aegis-db-dr',
            region: aegis.gcp.drRegion,
            masterInstanceName: aegis.gcp.database.id,
            replicationLagSeconds: 2,
          },
        ],
        gkeClusters: [
          {
            name: 'aegis-primary',
            location: aegis.gcp.primaryRegion,
            nodePools: [{ name: 'primary-pool', nodeCountPerZone: 2 }],
          },
          {
            // Regional, in three zones: one warm node per zone; 6 in all is 2 per zone.
            name: aegis.gcp.drPool.cluster,
            location: aegis.gcp.drRegion,
            nodePools: [{ name: aegis.gcp.drPool.pool, nodeCountPerZone: 1 }],
          },
        ],
      },
    ],
  },
};

/** Any SigV4 signature passes: the emulator reads the region from the credential scope. */
const awsCredentials = { accessKeyId: 'AKIDEMULATOREXAMPLE', secretAccessKey: 'emulator-not-a-secret' };

/** The emulator only checks that a bearer token is sent. */
const azureCredential = {
  getToken: async () => ({ token: 'emulator-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

/** The twelve providers on the emulator at `emulator.url`, waiting on its clock. */
export function emulatorProviders(emulator: EmulatorContext): ProviderRegistry {
  const { url, clock } = emulator;
  // A deterministic drill's seeded jitter: retries back off the same way on every run.
  const retry = { random: emulator.random };
  const aws = createAws({
    region: aegis.aws.drRegion,
    credentials: awsCredentials,
    endpoints: {
      route53: `${url}/aws/route53`,
      rds: `${url}/aws/rds`,
      eks: `${url}/aws/eks`,
      // Where the Aurora provider reads replication lag (AuroraGlobalDBReplicationLag).
      cloudwatch: `${url}/aws/monitoring`,
    },
    time: clock,
    // The SDK's retries would sleep in real time: off. The adapter retries each request
    // itself, on the emulator clock, inside the step's deadline.
    clientConfig: { maxAttempts: 1 },
    retry,
  });
  const azure = createAzure({
    subscriptionId,
    credential: azureCredential,
    httpClient: createEmulatorHttpClient(url),
    time: clock,
    // The SDK pipeline's retries would sleep in real time: off. The adapter's own retry
    // policy retries each request on the emulator clock, inside the step's deadline.
    retryOptions: { maxRetries: 0 },
    retry,
  });
  const gcp = createGcp({
    project: gcpProject,
    // The emulator takes any bearer token; it is never logged.
    accessToken: 'emulator-token-not-a-secret',
    // Per-API roots: the emulator mounts each Google API under a path of its own.
    rootUrls: emulatorRootUrls(url),
    time: clock,
    retry,
  });
  // Each DR cluster from its cloud's reference, without the clouds' CLIs: EKS (DescribeCluster,
  // an aws-iam-authenticator token), AKS (listClusterUserCredentials, an Entra ID token for the
  // AKS server application), GKE (clusters.get, the OAuth access token).
  // Each cluster's workloads count towards its cloud in the report (`aws.kubernetes` is AWS).
  const k8s = (cloud: string, connection: KubernetesConnection) =>
    kubernetesResources({ connection, time: clock, id: `${cloud}.kubernetes` });
  return {
    'aws-k8s': k8s(
      'aws',
      connectionFromAccess(
        aws.clusterAccess({ cluster: aegis.aws.drPool.cluster, region: aegis.aws.drRegion }),
        {
          time: clock,
        },
      ),
    ),
    'azure-k8s': k8s(
      'azure',
      connectionFromAccess(azure.clusterAccess({ resourceGroup: 'aegis-dr-rg', cluster: 'aegis-dr-aks' }), {
        time: clock,
      }),
    ),
    'gcp-k8s': k8s(
      'gcp',
      connectionFromAccess(
        gcp.clusterAccess({ location: aegis.gcp.drRegion, cluster: aegis.gcp.drPool.cluster }),
        { time: clock },
      ),
    ),
    'aws-route53': aws.dnsProvider(),
    'aws-aurora': aws.databaseFailover(),
    'aws-eks': aws.clusterScaler(),
    'azure-traffic-manager': azure.dnsProvider(),
    'azure-sql': azure.databaseFailover(),
    'azure-aks': azure.clusterScaler(),
    'gcp-cloud-dns': gcp.dnsProvider(),
    'gcp-cloud-sql': gcp.databaseFailover(),
    'gcp-gke': gcp.clusterScaler(),
  };
}

export default defineProviders(({ emulator }) => {
  if (!emulator) {
    throw new Error(
      'These providers are bound to the emulator: use `failover drill`, or `failover run --emulator`.',
    );
  }
  return emulatorProviders(emulator);
});
