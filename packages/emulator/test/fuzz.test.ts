import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { seededRandom } from '../src/server/seeded-random.js';

// Random requests against every mount: plausible paths with random segments,
// random methods, bodies and headers. The emulator must answer each one (no
// hang), never with a 5xx of its own, and never hit a handler bug.

const requestCount = 1_500;

const templates = [
  '/aws/route53/2013-04-01/hostedzone',
  '/aws/route53/2013-04-01/hostedzone/{id}',
  '/aws/route53/2013-04-01/hostedzone/{id}/rrset',
  '/aws/route53/2013-04-01/hostedzonesbyname',
  '/aws/route53/2013-04-01/change/{id}',
  '/aws/route53/2013-04-01/healthcheck/{id}',
  '/aws/route53/2013-04-01/healthcheck/{id}/status',
  '/aws/rds/',
  '/aws/eks/clusters/{id}/node-groups/{id}',
  '/aws/eks/clusters/{id}/node-groups/{id}/update-config',
  '/aws/eks/clusters/{id}/updates/{id}',
  '/azure/subscriptions/{id}/resourceGroups/{id}/providers/Microsoft.Sql/servers/{id}/failoverGroups/{id}',
  '/azure/subscriptions/{id}/resourceGroups/{id}/providers/Microsoft.Sql/servers/{id}/failoverGroups/{id}/failover',
  '/azure/subscriptions/{id}/resourceGroups/{id}/providers/Microsoft.Sql/servers/{id}/failoverGroups/{id}/forceFailoverAllowDataLoss',
  '/azure/subscriptions/{id}/resourceGroups/{id}/providers/Microsoft.Network/trafficmanagerprofiles/{id}',
  '/azure/subscriptions/{id}/resourceGroups/{id}/providers/Microsoft.Network/trafficmanagerprofiles/{id}/azureEndpoints/{id}',
  '/azure/subscriptions/{id}/resourceGroups/{id}/providers/Microsoft.ContainerService/managedClusters/{id}/agentPools/{id}',
  '/azure/subscriptions/{id}/providers/Microsoft.Sql/locations/{id}/operationResults/{id}',
  '/gcp/dns/dns/v1/projects/{id}/managedZones/{id}/rrsets',
  '/gcp/dns/dns/v1/projects/{id}/managedZones/{id}/rrsets/{id}/{id}',
  '/gcp/dns/dns/v1/projects/{id}/managedZones/{id}/changes',
  '/gcp/dns/dns/v1/projects/{id}/managedZones/{id}/changes/{id}',
  '/gcp/sqladmin/v1/projects/{id}/instances/{id}',
  '/gcp/sqladmin/v1/projects/{id}/instances/{id}/failover',
  '/gcp/sqladmin/v1/projects/{id}/instances/{id}/promoteReplica',
  '/gcp/sqladmin/v1/projects/{id}/operations/{id}',
  '/gcp/container/v1/projects/{id}/locations/{id}/clusters/{id}/nodePools/{id}',
  '/gcp/container/v1/projects/{id}/locations/{id}/clusters/{id}/nodePools/{id}:setSize',
  '/gcp/container/v1/projects/{id}/locations/{id}/operations/{id}',
  '/kubernetes/{id}/apis/apps/v1/namespaces/{id}/deployments/{id}/scale',
  '/{id}',
];
const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const segments = [
  'x',
  'Z123',
  'prod',
  '%2F',
  '..',
  'a'.repeat(300),
  '💥',
  '-1',
  'null',
  '{}',
  'ecommerce-global',
];
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
  emulator = await startEmulator({ timeScale: 0 });
});
afterAll(() => emulator.stop());

describe('emulator fuzz', () => {
  it(`answers ${requestCount} random requests without a 5xx, a handler bug or a hang`, async () => {
    const random = seededRandom(20261122);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const failures: string[] = [];
    for (let i = 0; i < requestCount; i++) {
      const path = pick(templates).replace(/\{id\}/g, () => encodeURIComponent(pick(segments)));
      const method = pick(methods);
      const rds = path.startsWith('/aws/rds');
      const body =
        method === 'GET' || method === 'HEAD'
          ? undefined
          : rds
            ? `Action=${pick(rdsActions)}&Version=2014-10-31&GlobalClusterIdentifier=${pick(segments)}`
            : pick(bodies);
      const query = random() < 0.5 ? `?api-version=${pick(['2021-11-01', '2022-04-01', 'x'])}` : '';
      const headers: Record<string, string> = { ...pick(authHeaders) };
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
  }, 120_000);
});
