// A weighted failover on all three DNS services at once, for the portable-weights and the
// failback re-run tests:
// Route 53 weighted records, a Traffic Manager profile with Weighted routing and Cloud DNS
// weighted round robin, each with an east (original) and a west (DR) target. The failover
// gives west 100 % in portable percentages; each service says it in its own weights
// (Traffic Manager: east's endpoint disabled, since it has no weight 0).
import { createAws } from '@failover/aws';
import { createAzure, createEmulatorHttpClient } from '@failover/azure';
import type { DnsRecordRef, FailoverPlan, PlanStep, ProviderRegistry } from '@failover/core';
import type { Emulator, EmulatorSeed } from '@failover/emulator';
import { createGcp, emulatorRootUrls } from '@failover/gcp';

const subscriptionId = '5e1f0000-ae91-4000-8000-00000000fb1d';
const project = 'failback-weights';

/** Each service's record, its provider name, and what its original (east) and DR (west) targets are called. */
export const weightedRecords: Array<{ provider: string; record: DnsRecordRef; east: string; west: string }> =
  [
    {
      provider: 'route53',
      record: { zone: 'example.com.', name: 'shop.example.com.', type: 'A' },
      east: 'us-east-1',
      west: 'us-west-2',
    },
    { provider: 'tm', record: { zone: 'shop-rg', name: 'shop-tm' }, east: 'eastus', west: 'westus' },
    {
      provider: 'clouddns',
      record: { zone: 'shop-zone', name: 'shop.gcp.example.com.', type: 'A' },
      east: 'wrr-0',
      west: 'wrr-1',
    },
  ];

/** Every service sends all the traffic east (Traffic Manager: west disabled, weight 1). */
export const weightedSeed: EmulatorSeed = {
  aws: {
    route53: {
      hostedZones: [
        {
          id: 'Z0FAILBACKWEIGHTS',
          name: 'example.com.',
          recordSets: [
            {
              name: 'shop.example.com.',
              type: 'A',
              ttl: 60,
              values: ['192.0.2.10'],
              setIdentifier: 'us-east-1',
              weight: 100,
            },
            {
              name: 'shop.example.com.',
              type: 'A',
              ttl: 60,
              values: ['198.51.100.10'],
              setIdentifier: 'us-west-2',
              weight: 0,
            },
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
            name: 'shop-rg',
            location: 'East US',
            trafficManagerProfiles: [
              {
                name: 'shop-tm',
                routingMethod: 'Weighted',
                ttl: 30,
                endpoints: [
                  { name: 'eastus', target: 'shop-eastus.example.net', weight: 1000 },
                  {
                    name: 'westus',
                    target: 'shop-westus.example.net',
                    weight: 1,
                    endpointStatus: 'Disabled',
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
  },
  gcp: {
    projects: [
      {
        id: project,
        number: '616161616161',
        managedZones: [
          {
            name: 'shop-zone',
            dnsName: 'gcp.example.com.',
            recordSets: [
              {
                name: 'shop.gcp.example.com.',
                type: 'A',
                ttl: 30,
                routingPolicy: {
                  wrr: {
                    items: [
                      { weight: 100, rrdatas: ['203.0.113.10'] },
                      { weight: 0, rrdatas: ['203.0.113.20'] },
                    ],
                  },
                },
              },
            ],
          },
        ],
      },
    ],
  },
};

/** The three DNS providers on the real SDK clients, pointed at the emulator. */
export function weightedProviders(world: Emulator): ProviderRegistry {
  const aws = createAws({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEMULATOREXAMPLE', secretAccessKey: 'emulator-not-a-secret' },
    endpoints: { route53: `${world.url}/aws/route53` },
    time: world.clock,
    clientConfig: { maxAttempts: 1 },
  });
  const azure = createAzure({
    subscriptionId,
    credential: {
      getToken: async () => ({ token: 'emulator-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
    },
    httpClient: createEmulatorHttpClient(world.url),
    time: world.clock,
    retryOptions: { maxRetries: 0 },
  });
  const gcp = createGcp({
    project,
    accessToken: 'emulator-token-not-a-secret',
    rootUrls: emulatorRootUrls(world.url),
    time: world.clock,
  });
  return { route53: aws.dnsProvider(), tm: azure.dnsProvider(), clouddns: gcp.dnsProvider() };
}

/** The failover: every service gives its DR target 100 %, in parallel. */
export const weightedFailover: FailoverPlan = {
  version: 1,
  id: 'shop-weighted-multi-cloud',
  name: 'Shop: weighted failover on three DNS services',
  sourceRegion: 'us-east-1',
  targetRegion: 'us-west-2',
  steps: weightedRecords.map(
    ({ provider, record, east, west }): PlanStep => ({
      id: `shift-${provider}`,
      kind: 'action',
      traffic: true,
      action: {
        type: 'dns',
        provider,
        record: { ...record },
        desired: { weightPercents: { [east]: 0, [west]: 100 } },
      },
    }),
  ),
};
