// Portable weights through the three DNS adapters on the emulator: one plan says 10 % / 90 %,
// then 0 % / 100 %, on Route 53 (weights 0-255), Traffic Manager (1-1000, no 0: a disabled
// endpoint) and Cloud DNS WRR; each service ends with its own way of saying it. The
// pre-check refuses, per service, a share it cannot say exactly.
import { createAws } from '@failover/aws';
import { createAzure, createEmulatorHttpClient } from '@failover/azure';
import {
  type DnsRecordRef,
  type FailoverPlan,
  type PlanStep,
  type ProviderRegistry,
  runPlan,
  validatePlan,
} from '@failover/core';
import { type Emulator, type EmulatorSeed, startEmulator } from '@failover/emulator';
import { createGcp, emulatorRootUrls } from '@failover/gcp';
import { afterEach, describe, expect, it } from 'vitest';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const subscriptionId = '5e1f0000-ae91-4000-8000-0000000000fb';
const project = 'weights-demo';
const route53Record = { zone: 'example.com.', name: 'api.example.com.', type: 'A' };
const trafficManagerRecord = { zone: 'weights-rg', name: 'weights-tm' };
const cloudDnsRecord = { zone: 'weights-zone', name: 'api.gcp.example.com.', type: 'A' };

const seed: EmulatorSeed = {
  aws: {
    route53: {
      hostedZones: [
        {
          id: 'Z0WEIGHTS000001',
          name: 'example.com.',
          recordSets: [
            {
              name: route53Record.name,
              type: 'A',
              ttl: 60,
              values: ['192.0.2.1'],
              setIdentifier: 'east',
              weight: 100,
            },
            {
              name: route53Record.name,
              type: 'A',
              ttl: 60,
              values: ['192.0.2.2'],
              setIdentifier: 'west',
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
            name: 'weights-rg',
            location: 'East US',
            trafficManagerProfiles: [
              {
                name: 'weights-tm',
                routingMethod: 'Weighted',
                ttl: 30,
                endpoints: [
                  { name: 'east', target: 'east.example.net', weight: 1000 },
                  { name: 'west', target: 'west.example.net', weight: 1, endpointStatus: 'Disabled' },
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
        number: '515151515151',
        managedZones: [
          {
            name: 'weights-zone',
            dnsName: 'gcp.example.com.',
            recordSets: [
              {
                name: cloudDnsRecord.name,
                type: 'A',
                ttl: 30,
                routingPolicy: {
                  wrr: {
                    items: [
                      { weight: 100, rrdatas: ['203.0.113.1'] },
                      { weight: 0, rrdatas: ['203.0.113.2'] },
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

function providersOn(world: Emulator): ProviderRegistry {
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

/** Where each provider's record lives, and what its two targets are called. */
const records: Array<{ provider: string; record: DnsRecordRef; east: string; west: string }> = [
  { provider: 'route53', record: route53Record, east: 'east', west: 'west' },
  { provider: 'tm', record: trafficManagerRecord, east: 'east', west: 'west' },
  { provider: 'clouddns', record: cloudDnsRecord, east: 'wrr-0', west: 'wrr-1' },
];

function plan(id: string, east: number, west: number): FailoverPlan {
  const steps: PlanStep[] = records.map(({ provider, record, east: e, west: w }) => ({
    id: `${provider}-${east}`,
    kind: 'action',
    action: {
      type: 'dns',
      provider,
      record: { ...record },
      desired: { weightPercents: { [e]: east, [w]: west } },
    },
  }));
  return { version: 1, id, name: id, sourceRegion: 'us-east-1', targetRegion: 'us-west-2', steps };
}

async function shapes(providers: ProviderRegistry) {
  const out: Record<string, Array<{ weight?: number; enabled: boolean }>> = {};
  for (const { provider, record } of records) {
    const dns = providers[provider] as Extract<ProviderRegistry[string], { kind: 'dns' }>;
    const set = (await dns.getRecordSet(record))._unsafeUnwrap();
    out[provider] = set.targets.map((target) => ({
      ...(target.weight !== undefined && { weight: target.weight }),
      enabled: target.enabled,
    }));
  }
  return out;
}

describe('portable weights on the three DNS services', () => {
  it('says 10 % / 90 % and 0 % / 100 % in each service’s own weights', async () => {
    emulator = await startEmulator({ seed, timeScale: 240 });
    const providers = providersOn(emulator);

    const canary = await runPlan(plan('ten', 10, 90), { providers, time: emulator.clock });
    expect(canary._unsafeUnwrap().status).toBe('succeeded');
    expect(await shapes(providers)).toEqual({
      route53: [
        { weight: 10, enabled: true },
        { weight: 90, enabled: true },
      ],
      tm: [
        { weight: 100, enabled: true },
        { weight: 900, enabled: true },
      ],
      clouddns: [
        { weight: 10, enabled: true },
        { weight: 90, enabled: true },
      ],
    });

    const all = await runPlan(plan('all', 0, 100), { providers, time: emulator.clock });
    expect(all._unsafeUnwrap().status).toBe('succeeded');
    const after = await shapes(providers);
    expect(after.route53).toEqual([
      { weight: 0, enabled: true },
      { weight: 100, enabled: true },
    ]);
    // Traffic Manager has no weight 0: the endpoint is disabled, its weight left as it was.
    expect(after.tm).toEqual([
      { weight: 100, enabled: false },
      { weight: 1000, enabled: true },
    ]);
    expect(after.clouddns).toEqual([
      { weight: 0, enabled: true },
      { weight: 100, enabled: true },
    ]);
  });

  it('refuses, before any call, a share a service cannot say exactly', async () => {
    emulator = await startEmulator({ seed, timeScale: 240 });
    const providers = providersOn(emulator);
    const validated = validatePlan(plan('third', 33.5, 66.5), { providers });
    const problems = validated.isErr() ? validated.error.problems : [];
    // Route 53 takes whole weights only; Traffic Manager says 33.5 % as 335, Cloud DNS as 33.5.
    expect(problems.map((problem) => [problem.code, problem.path.split('.action')[0]])).toEqual([
      ['inexpressible-weight', 'steps[0]'],
    ]);
    expect(emulator.requests.total).toBe(0);
  });
});
