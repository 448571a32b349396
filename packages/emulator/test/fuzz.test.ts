import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, sampleSubscriptionId, sampleWorld, startEmulator } from '../src/index.js';
import { seededRandom } from '../src/server/seeded-random.js';

// Random requests against every mount: plausible paths with random segments,
// random methods, bodies and headers. The emulator must answer each one (no
// hang), never with a 5xx of its own, and never hit a handler bug.

const requestCount = 1_500;

// [usual method, path]: placeholders name a resource of the sample world.
const templates: Array<[string, string]> = [
  ['GET', '/aws/route53/2013-04-01/hostedzone'],
  ['GET', '/aws/route53/2013-04-01/hostedzone/{zone}'],
  ['GET', '/aws/route53/2013-04-01/hostedzone/{zone}/rrset'],
  ['POST', '/aws/route53/2013-04-01/hostedzone/{zone}/rrset'],
  ['GET', '/aws/route53/2013-04-01/hostedzonesbyname'],
  ['GET', '/aws/route53/2013-04-01/change/{id}'],
  ['GET', '/aws/route53/2013-04-01/healthcheck/{id}'],
  ['POST', '/aws/route53/2013-04-01/healthcheck/{id}'],
  ['GET', '/aws/route53/2013-04-01/healthcheck/{id}/status'],
  ['POST', '/aws/rds/'],
  ['GET', '/aws/eks/clusters/{eks}/node-groups/{nodegroup}'],
  ['POST', '/aws/eks/clusters/{eks}/node-groups/{nodegroup}/update-config'],
  ['GET', '/aws/eks/clusters/{eks}/updates/{id}'],
  [
    'GET',
    '/azure/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Sql/servers/{id}/failoverGroups/{id}',
  ],
  [
    'POST',
    '/azure/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Sql/servers/{id}/failoverGroups/{id}/failover',
  ],
  [
    'POST',
    '/azure/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Sql/servers/{id}/failoverGroups/{id}/forceFailoverAllowDataLoss',
  ],
  [
    'GET',
    '/azure/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/trafficmanagerprofiles/{tm}',
  ],
  [
    'PATCH',
    '/azure/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/trafficmanagerprofiles/{tm}/ExternalEndpoints/{endpoint}',
  ],
  [
    'PUT',
    '/azure/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerService/managedClusters/{aks}/agentPools/{pool}',
  ],
  [
    'GET',
    '/azure/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerService/managedClusters/{aks}/agentPools/{pool}',
  ],
  ['GET', '/azure/subscriptions/{sub}/providers/Microsoft.Sql/locations/{id}/operationResults/{id}'],
  ['GET', '/gcp/dns/dns/v1/projects/{project}/managedZones/{dnszone}/rrsets'],
  ['PATCH', '/gcp/dns/dns/v1/projects/{project}/managedZones/{dnszone}/rrsets/{id}/{id}'],
  ['POST', '/gcp/dns/dns/v1/projects/{project}/managedZones/{dnszone}/changes'],
  ['GET', '/gcp/dns/dns/v1/projects/{project}/managedZones/{dnszone}/changes/{id}'],
  ['GET', '/gcp/sqladmin/v1/projects/{project}/instances/{sql}'],
  ['POST', '/gcp/sqladmin/v1/projects/{project}/instances/{sql}/failover'],
  ['POST', '/gcp/sqladmin/v1/projects/{project}/instances/{sql}/promoteReplica'],
  ['GET', '/gcp/sqladmin/v1/projects/{project}/operations/{id}'],
  ['GET', '/gcp/container/v1/projects/{project}/locations/{location}/clusters/{gke}/nodePools/{pool}'],
  [
    'POST',
    '/gcp/container/v1/projects/{project}/locations/{location}/clusters/{gke}/nodePools/{pool}:setSize',
  ],
  ['GET', '/gcp/container/v1/projects/{project}/locations/{location}/operations/{id}'],
  ['PATCH', '/kubernetes/{id}/apis/apps/v1/namespaces/{id}/deployments/{id}/scale'],
  ['GET', '/{id}'],
];
const realNames: Record<string, string> = {
  zone: 'Z0SAMPLE',
  eks: 'sample',
  nodegroup: 'app',
  sub: sampleSubscriptionId,
  rg: 'rg',
  tm: 'tm',
  endpoint: 'west',
  aks: 'aks',
  pool: 'pool',
  project: 'sample',
  dnszone: 'zone',
  sql: 'db',
  gke: 'gke',
  location: 'us-central1-a',
};
const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const junk = ['x', 'Z123', 'prod', '%2F', '..', 'a'.repeat(300), '💥', '-1', 'null', '{}', 'sample-global'];
const rdsActions = [
  'DescribeGlobalClusters',
  'DescribeDBClusters',
  'DescribeDBInstances',
  'SwitchoverGlobalCluster',
  'FailoverGlobalCluster',
  'RemoveFromGlobalCluster',
  'RebootDBInstance',
  'PromoteReadReplica',
  'Nope',
];
const bodies = [
  '',
  '{',
  '[]',
  'null',
  '{"properties":{"count":-5}}',
  '{"properties":null}',
  '{"nodeCount":"many"}',
  '{"additions":[{"name":1}],"deletions":"x"}',
  '{"spec":{"replicas":"3"}}',
  '<?xml version="1.0"?><ChangeResourceRecordSetsRequest><ChangeBatch><Changes><Change><Action>DELETE</Action></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>',
  '<unclosed',
  'Action=SwitchoverGlobalCluster&Version=2014-10-31',
  'Action=FailoverGlobalCluster&GlobalClusterIdentifier=&TargetDbClusterIdentifier=arn%3Ax',
  '\u0000\u0001binary',
];

const authHeaders: Array<Record<string, string>> = [
  {},
  { authorization: 'Bearer fuzz-token' },
  {
    authorization:
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/route53/aws4_request, SignedHeaders=host, Signature=abc',
  },
  { authorization: 'AWS4-HMAC-SHA256 Credential=broken' },
];

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 0, seed: sampleWorld() });
});
afterAll(() => emulator.stop());

describe('emulator fuzz', () => {
  it(`answers ${requestCount} random requests without a 5xx, a handler bug or a hang`, async () => {
    const random = seededRandom(20261122);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const failures: string[] = [];
    for (let i = 0; i < requestCount; i++) {
      // Half the requests are plausible (usual method, real names, junk bodies), half anything.
      const plausible = random() < 0.5;
      const [usualMethod, template] = pick(templates);
      const path = template.replace(/\{(\w+)\}/g, (_, name: string) =>
        encodeURIComponent(plausible && realNames[name] ? realNames[name] : pick(junk)),
      );
      const method = plausible ? usualMethod : pick(methods);
      const rds = path.startsWith('/aws/rds');
      const body =
        method === 'GET' || method === 'HEAD'
          ? undefined
          : rds
            ? `Action=${pick(rdsActions)}&Version=2014-10-31&GlobalClusterIdentifier=${pick(junk)}`
            : pick(bodies);
      const query =
        random() < 0.8 ? `?api-version=${pick(['2021-11-01', '2022-04-01', '2025-08-01', 'x'])}` : '';
      // Mostly the auth the cloud expects, so requests get past authentication.
      const fitting = path.startsWith('/aws') ? authHeaders[2]! : authHeaders[1]!;
      const headers: Record<string, string> = { ...(random() < 0.8 ? fitting : pick(authHeaders)) };
      if (body !== undefined) {
        headers['content-type'] = pick([
          'application/json',
          'application/xml',
          'application/x-www-form-urlencoded',
          'text/plain',
        ]);
      }
      let status: number;
      try {
        const response = await fetch(`${emulator.url}${path}${query}`, {
          method,
          headers,
          body,
          signal: AbortSignal.timeout(5_000),
        });
        await response.arrayBuffer();
        status = response.status;
      } catch (error) {
        failures.push(`${method} ${path}: ${(error as Error).message}`);
        continue;
      }
      if (status >= 500) failures.push(`${method} ${path}${query} -> ${status}`);
    }
    const bugs = emulator.requests.list().filter((entry) => entry.internalError);
    expect(bugs.map((entry) => `${entry.method} ${entry.path}: ${entry.internalError}`)).toEqual([]);
    expect(failures).toEqual([]);
    expect(emulator.requests.count()).toBe(requestCount);
    // The fuzz is only worth something if it gets past routing into the handlers.
    const handled = emulator.requests.list().filter((entry) => entry.operation !== 'unknown');
    console.log(`fuzz: ${handled.length} of ${requestCount} requests reached an operation`);
    expect(handled.length).toBeGreaterThan(requestCount / 4);
  }, 120_000);
});
