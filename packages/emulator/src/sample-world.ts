import type { EmulatorSeed } from './server/emulator-seed.js';

/** The subscription id of the sample world's Azure resources. */
export const sampleSubscriptionId = '00000000-0000-0000-0000-000000000001';

/**
 * A small world on every cloud, for trying the emulator, benchmarks and fuzzing:
 * a Route 53 zone `Z0SAMPLE` of 50 records, the Aurora global cluster
 * `sample-global` (us-east-1 writer, us-west-2 reader), the EKS node group
 * `sample/app` in us-west-2, the Traffic Manager profile `rg/tm`, the AKS pool
 * `rg/aks/pool`, and in the Google project `sample` the Cloud DNS zone `zone`,
 * the Cloud SQL instance `db` and the GKE pool `gke/pool`.
 */
export function sampleWorld(): EmulatorSeed {
  return {
    aws: {
      route53: {
        hostedZones: [
          {
            id: 'Z0SAMPLE',
            name: 'sample.example.com.',
            recordSets: Array.from({ length: 50 }, (_, i) => ({
              name: `r${i}.sample.example.com.`,
              type: 'A',
              ttl: 60,
              values: [`192.0.2.${i + 1}`],
            })),
          },
        ],
      },
      rds: {
        globalClusters: [
          {
            id: 'sample-global',
            members: [
              { id: 'sample-east', region: 'us-east-1', writer: true },
              { id: 'sample-west', region: 'us-west-2', lagMs: 40 },
            ],
          },
        ],
      },
      eks: {
        clusters: [
          {
            name: 'sample',
            region: 'us-west-2',
            nodegroups: [{ name: 'app', minSize: 1, maxSize: 10, desiredSize: 3 }],
          },
        ],
      },
    },
    azure: {
      subscriptions: [
        {
          id: sampleSubscriptionId,
          resourceGroups: [
            {
              name: 'rg',
              trafficManagerProfiles: [
                {
                  name: 'tm',
                  routingMethod: 'Priority',
                  endpoints: [
                    { name: 'east', target: 'east.example.com', priority: 1 },
                    { name: 'west', target: 'west.example.com', priority: 2 },
                  ],
                },
              ],
              managedClusters: [
                { name: 'aks', location: 'westus2', agentPools: [{ name: 'pool', count: 3 }] },
              ],
            },
          ],
        },
      ],
    },
    gcp: {
      projects: [
        {
          id: 'sample',
          managedZones: [
            {
              name: 'zone',
              dnsName: 'gcp.example.com.',
              recordSets: [{ name: 'app.gcp.example.com.', type: 'A', ttl: 60, rrdatas: ['198.51.100.1'] }],
            },
          ],
          sqlInstances: [{ name: 'db', region: 'us-central1' }],
          gkeClusters: [
            { name: 'gke', location: 'us-central1-a', nodePools: [{ name: 'pool', nodeCountPerZone: 3 }] },
          ],
        },
      ],
    },
  };
}
