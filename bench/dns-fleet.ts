// A fleet of DNS names switched in one plan, per cloud, on the emulator through the
// real adapters (real SDK clients over loopback HTTP): one parallel group of N
// independent DNS steps (each name to its standby) at the executor's default
// concurrency. Prints, per cloud and size: the change calls sent (mutating requests),
// the calls refused (any 4xx/5xx answer, e.g. Route 53's PriorRequestNotComplete),
// the polls of the change, all requests, failed steps, whether the adapter offers
// `batching`, and the run's duration on the emulator's clock (cloud time).
//
// The emulator clock runs `--time-scale` times faster than the wall clock, so the
// real latency of the requests (larger on a busy machine) is counted too, scaled.
//
//   node --conditions=@failover/source --import tsx bench/dns-fleet.ts [--sizes 50,1000] [--clouds aws,gcp,azure] [--time-scale 60]
import { parseArgs } from 'node:util';
import { createAws } from '../packages/aws/src/index.js';
import { createAzure, createEmulatorHttpClient } from '../packages/azure/src/index.js';
import { type DnsProviderV1, type FailoverPlan, type PlanStep, runPlan } from '../packages/core/src/index.js';
import { type Emulator, type EmulatorSeed, startEmulator } from '../packages/emulator/src/index.js';
import { createGcp, emulatorRootUrls } from '../packages/gcp/src/index.js';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '50,1000' },
    clouds: { type: 'string', default: 'aws,gcp,azure' },
    'time-scale': { type: 'string', default: '60' },
  },
});
const sizes = args.sizes.split(',').map(Number);
const clouds = args.clouds.split(',') as Cloud[];
const timeScale = Number(args['time-scale']);

type Cloud = 'aws' | 'gcp' | 'azure';
const project = 'fleet-project';
const subscriptionId = '5e1f0000-f1ee-4000-8000-000000000001';

interface Fleet {
  seed: EmulatorSeed;
  provider: (emulator: Emulator) => DnsProviderV1;
  /** The DNS action of the step switching name `index`. */
  step: (index: number) => PlanStep;
  /** Requests that poll a change. */
  polls: readonly string[];
}

const name = (index: number) => `app-${index}`;
const dnsStep = (index: number, record: Record<string, string>, target: string): PlanStep => ({
  id: `switch-${index}`,
  kind: 'action',
  action: { type: 'dns', provider: 'dns', record: record as never, desired: { activeTarget: target } },
});
const range = (count: number) => Array.from({ length: count }, (_, index) => index);

/** Route 53: one hosted zone, each name a PRIMARY/SECONDARY failover pair; switch to the secondary. */
function awsFleet(count: number): Fleet {
  return {
    seed: {
      aws: {
        route53: {
          hostedZones: [
            {
              id: 'Z0FLEET000000001',
              name: 'fleet.example',
              recordSets: range(count).flatMap((index) => [
                {
                  name: `${name(index)}.fleet.example`,
                  type: 'A',
                  ttl: 60,
                  values: ['192.0.2.10'],
                  setIdentifier: 'primary',
                  failover: 'PRIMARY' as const,
                },
                {
                  name: `${name(index)}.fleet.example`,
                  type: 'A',
                  ttl: 60,
                  values: ['198.51.100.10'],
                  setIdentifier: 'secondary',
                  failover: 'SECONDARY' as const,
                },
              ]),
            },
          ],
        },
      },
    },
    provider: (emulator) =>
      createAws({
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDEMULATORFLEET', secretAccessKey: 'emulator-not-a-secret' },
        endpoints: { route53: emulator.endpoint('aws.route53') },
        time: emulator.clock,
        clientConfig: { maxAttempts: 1 },
      }).dnsProvider(),
    step: (index) =>
      dnsStep(
        index,
        { zone: 'Z0FLEET000000001', name: `${name(index)}.fleet.example.`, type: 'A' },
        'secondary',
      ),
    polls: ['GetChange'],
  };
}

/** Cloud DNS: one managed zone, each name a primary/backup routing policy; switch to the backup. */
function gcpFleet(count: number): Fleet {
  return {
    seed: {
      gcp: {
        projects: [
          {
            id: project,
            number: '424242424243',
            managedZones: [
              {
                name: 'fleet-zone',
                dnsName: 'fleet.example.',
                recordSets: range(count).map((index) => ({
                  name: `${name(index)}.fleet.example.`,
                  type: 'A',
                  ttl: 30,
                  routingPolicy: {
                    healthCheck: `https://www.googleapis.com/compute/v1/projects/${project}/global/healthChecks/fleet`,
                    primaryBackup: {
                      primaryTargets: { externalEndpoints: ['203.0.113.10'] },
                      backupGeoTargets: {
                        items: [
                          {
                            location: 'us-central1',
                            healthCheckedTargets: { externalEndpoints: ['203.0.113.20'] },
                          },
                        ],
                      },
                      trickleTraffic: 0,
                    },
                  },
                })),
              },
            ],
          },
        ],
      },
    },
    provider: (emulator) =>
      createGcp({
        project,
        accessToken: 'emulator-token-not-a-secret',
        rootUrls: emulatorRootUrls(emulator.url),
        time: emulator.clock,
      }).dnsProvider(),
    step: (index) =>
      dnsStep(
        index,
        { zone: 'fleet-zone', name: `${name(index)}.fleet.example.`, type: 'A' },
        'backup-us-central1',
      ),
    polls: ['changes.get', 'dns.changes.get'],
  };
}

/** Traffic Manager: one Priority profile per name (East US first); switch to West US. */
function azureFleet(count: number): Fleet {
  return {
    seed: {
      azure: {
        subscriptions: [
          {
            id: subscriptionId,
            resourceGroups: [
              {
                name: 'fleet-rg',
                location: 'East US',
                trafficManagerProfiles: range(count).map((index) => ({
                  name: name(index),
                  routingMethod: 'Priority' as const,
                  ttl: 30,
                  monitor: { protocol: 'HTTPS' as const, port: 443, path: '/health' },
                  endpoints: [
                    {
                      name: 'primary-endpoint',
                      target: `${name(index)}-east.example.net`,
                      priority: 1,
                      location: 'East US',
                    },
                    {
                      name: 'dr-endpoint',
                      target: `${name(index)}-west.example.net`,
                      priority: 2,
                      location: 'West US',
                    },
                  ],
                })),
              },
            ],
          },
        ],
      },
    },
    provider: (emulator) =>
      createAzure({
        subscriptionId,
        credential: {
          getToken: async () => ({ token: 'emulator-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
        },
        httpClient: createEmulatorHttpClient(emulator.url),
        time: emulator.clock,
        retryOptions: { maxRetries: 0 },
      }).dnsProvider(),
    step: (index) => dnsStep(index, { zone: 'fleet-rg', name: name(index) }, 'dr-endpoint'),
    polls: [],
  };
}

const fleets: Record<Cloud, (count: number) => Fleet> = { aws: awsFleet, gcp: gcpFleet, azure: azureFleet };

async function measure(cloud: Cloud, count: number) {
  const fleet = fleets[cloud](count);
  const emulator = await startEmulator({ timeScale, seed: fleet.seed, requestLogLimit: 1_000_000 });
  try {
    const dns = fleet.provider(emulator);
    const plan: FailoverPlan = {
      version: 1,
      id: `fleet-${cloud}-${count}`,
      name: `${count} names on ${cloud}`,
      sourceRegion: 'us-east-1',
      targetRegion: 'us-west-2',
      steps: [{ id: 'switch', kind: 'group', mode: 'parallel', steps: range(count).map(fleet.step) }],
    };
    // The SDK clients set up on their first call; keep that out of the measured run, as drills do.
    await runPlan(plan, { providers: { dns }, time: emulator.clock, dryRun: true });
    const firstMeasured = emulator.requests.list().length;
    const result = await runPlan(plan, { providers: { dns }, time: emulator.clock });
    if (result.isErr()) throw new Error(`${cloud}: the plan did not run: ${result.error.message}`);
    const run = result.value;
    const requests = emulator.requests.list().slice(firstMeasured);
    const byOperation = new Map<string, number>();
    for (const request of requests) {
      const key = `${request.operation}${request.status >= 400 ? ` ${request.status}` : ''}`;
      byOperation.set(key, (byOperation.get(key) ?? 0) + 1);
    }
    const firstError = run.steps.find((step) => step.error)?.error;
    return {
      firstError: firstError && `${firstError.kind}: ${firstError.message}`,
      batched: dns.batching !== undefined,
      status: run.status,
      failedSteps: run.steps.filter((step) => step.status !== 'succeeded').length,
      changeCalls: requests.filter((request) => request.mutating).length,
      refused: requests.filter((request) => request.status >= 400).length,
      polls: requests.filter((request) => fleet.polls.includes(request.operation)).length,
      requests: requests.length,
      cloudMs: run.endedAt - run.startedAt,
      byOperation,
    };
  } finally {
    await emulator.stop();
  }
}

const minutes = (ms: number) =>
  `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1_000)).padStart(2, '0')}s`;
console.log(
  `dns-fleet bench: one parallel group of N DNS steps, default concurrency, emulator time scale ${timeScale}x, Node ${process.version}`,
);
for (const cloud of clouds) {
  for (const count of sizes) {
    const started = performance.now();
    const figures = await measure(cloud, count);
    console.log(
      `  ${cloud.padEnd(5)} ${String(count).padStart(5)} names  batching ${figures.batched ? 'yes' : 'no '}  ` +
        `${figures.status}, failed steps ${figures.failedSteps}  change calls ${figures.changeCalls}  ` +
        `refused ${figures.refused}  polls ${figures.polls}  requests ${figures.requests}  ` +
        `cloud time ${minutes(figures.cloudMs)}  (real ${((performance.now() - started) / 1_000).toFixed(1)} s)`,
    );
    if (figures.firstError) console.log(`        first step error: ${figures.firstError}`);
    const operations = [...figures.byOperation.entries()].sort((a, b) => b[1] - a[1]);
    console.log(`        ${operations.map(([operation, n]) => `${operation} ${n}`).join(', ')}`);
  }
}
