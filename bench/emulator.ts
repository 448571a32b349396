// Emulator throughput and start-up time.
//
//   pnpm bench:emulator [--seconds 3] [--concurrency 16]
//
// Starts the emulator with a small world on every cloud, checks each request of a
// mixed workload answers 2xx, then fires the workload from `concurrency` loops on
// loopback for `seconds` and prints requests per second and latency percentiles.
// Start-up is measured over 20 start/stop cycles.
import { parseArgs } from 'node:util';

const importStarted = performance.now();
const { startEmulator, sampleSubscriptionId, sampleWorld } = await import('@failover/emulator');
const importMs = performance.now() - importStarted;

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '3' }, concurrency: { type: 'string', default: '16' } },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);

const seed = sampleWorld();
const subscription = sampleSubscriptionId;

const awsAuth = (service: string, region: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=AKIDBENCH/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
  'x-amz-date': '20260101T000000Z',
});
const bearer = { authorization: 'Bearer bench-token' };
const arm = `/azure/subscriptions/${subscription}/resourceGroups/rg/providers`;

interface BenchRequest {
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const workload: BenchRequest[] = [
  {
    name: 'route53 ListResourceRecordSets',
    method: 'GET',
    path: '/aws/route53/2013-04-01/hostedzone/Z0SAMPLE/rrset?maxitems=20',
    headers: awsAuth('route53', 'us-east-1'),
  },
  {
    name: 'rds DescribeGlobalClusters',
    method: 'POST',
    path: '/aws/rds/',
    headers: { ...awsAuth('rds', 'us-east-1'), 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Action=DescribeGlobalClusters&Version=2014-10-31&GlobalClusterIdentifier=sample-global',
  },
  {
    name: 'eks DescribeNodegroup',
    method: 'GET',
    path: '/aws/eks/clusters/sample/node-groups/app',
    headers: awsAuth('eks', 'us-west-2'),
  },
  {
    name: 'trafficmanager Profiles_Get',
    method: 'GET',
    path: `${arm}/Microsoft.Network/trafficmanagerprofiles/tm?api-version=2022-04-01`,
    headers: bearer,
  },
  {
    name: 'trafficmanager Endpoints_Update',
    method: 'PATCH',
    path: `${arm}/Microsoft.Network/trafficmanagerprofiles/tm/ExternalEndpoints/west?api-version=2022-04-01`,
    headers: { ...bearer, 'content-type': 'application/json' },
    body: JSON.stringify({ properties: { weight: 1 } }),
  },
  {
    name: 'aks AgentPools_Get',
    method: 'GET',
    path: `${arm}/Microsoft.ContainerService/managedClusters/aks/agentPools/pool?api-version=2025-08-01`,
    headers: bearer,
  },
  {
    name: 'clouddns rrsets.list',
    method: 'GET',
    path: '/gcp/dns/dns/v1/projects/sample/managedZones/zone/rrsets',
    headers: bearer,
  },
  {
    name: 'cloudsql instances.get',
    method: 'GET',
    path: '/gcp/sqladmin/v1/projects/sample/instances/db',
    headers: bearer,
  },
  {
    name: 'gke nodePools.get',
    method: 'GET',
    path: '/gcp/container/v1/projects/sample/locations/us-central1-a/clusters/gke/nodePools/pool',
    headers: bearer,
  },
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function measureStartup(): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    const emulator = await startEmulator({ seed, timeScale: 0 });
    times.push(performance.now() - started);
    await emulator.stop();
  }
  return times.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const startup = await measureStartup();
  const emulator = await startEmulator({ seed, timeScale: 0 });
  const send = async (request: BenchRequest) => {
    const response = await fetch(`${emulator.url}${request.path}`, {
      method: request.method,
      headers: request.headers,
      body: request.body,
    });
    await response.arrayBuffer();
    return response.status;
  };

  for (const request of workload) {
    const status = await send(request);
    if (status < 200 || status >= 300) {
      await emulator.stop();
      throw new Error(`${request.name} answered ${status}: fix the workload before measuring`);
    }
  }

  const latencies: number[] = [];
  const perRequest = new Map<string, number>();
  const deadline = performance.now() + seconds * 1000;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = worker; performance.now() < deadline; i++) {
        const request = workload[i % workload.length]!;
        const t0 = performance.now();
        await send(request);
        latencies.push(performance.now() - t0);
        perRequest.set(request.name, (perRequest.get(request.name) ?? 0) + 1);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const logged = emulator.requests.count();
  const mutating = emulator.requests.count({ mutating: true });
  await emulator.stop();

  latencies.sort((a, b) => a - b);
  const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
  console.log('@failover/emulator benchmark (client and server share this process and its cores)');
  console.log(`node ${process.version}, ${concurrency} concurrent loops, ${seconds} s, loopback\n`);
  console.log(`import of @failover/emulator (from source, through tsx): ${fmt(importMs)}`);
  console.log(
    `start-up (startEmulator with a 3-cloud world, 20 runs): median ${fmt(percentile(startup, 50))}, max ${fmt(startup.at(-1)!)}`,
  );
  console.log(
    `requests: ${latencies.length} in ${elapsed.toFixed(2)} s = ${Math.round(latencies.length / elapsed)} req/s`,
  );
  console.log(
    `latency: p50 ${fmt(percentile(latencies, 50))}, p90 ${fmt(percentile(latencies, 90))}, p99 ${fmt(percentile(latencies, 99))}`,
  );
  console.log(
    `CPU (client + server): ${((cpu.user + cpu.system) / 1000 / elapsed / 10).toFixed(0)} % of one core`,
  );
  console.log(`request log: ${logged} entries, ${mutating} mutating\n`);
  for (const [name, count] of perRequest) console.log(`  ${name.padEnd(34)} ${count}`);
}

await main();
