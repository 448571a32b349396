import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';

// Every route the Google services serve, answered and checked against the
// discovery schemas of the APIs (fixtures/gcp-discovery-subset.json, its sources
// noted inside): no field the schema does not have, JSON types, enum values, and
// no nulls (Google's JSON leaves an unset field out). A shape we invent fails here.

interface Property {
  type?: 'string' | 'number' | 'boolean' | 'array' | 'object';
  $ref?: string;
  enum?: string[];
  items?: Property;
}
interface Discovery {
  responses: Record<string, Record<string, string>>;
  schemas: Record<string, { properties: Record<string, Property> }>;
}
const discovery = JSON.parse(
  readFileSync(new URL('./fixtures/gcp-discovery-subset.json', import.meta.url), 'utf8'),
) as Discovery;

/** Problems of `value` against the schema `ref`, with their JSON paths. */
function shapeProblems(value: unknown, ref: string, path = '$'): string[] {
  const schema = discovery.schemas[ref];
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [`${path}: not an object (${ref})`];
  if (!schema) return []; // a schema not vendored: checked as an object only
  const problems: string[] = [];
  for (const [key, field] of Object.entries(value)) {
    const property = schema.properties[key];
    if (!property) problems.push(`${path}.${key}: ${ref} has no such field`);
    else problems.push(...propertyProblems(field, property, `${path}.${key}`));
  }
  return problems;
}

function propertyProblems(value: unknown, property: Property, path: string): string[] {
  if (value === null) return [`${path}: null (Google leaves an unset field out)`];
  if (property.$ref) return shapeProblems(value, property.$ref, path);
  switch (property.type) {
    case 'string':
      if (typeof value !== 'string') return [`${path}: ${JSON.stringify(value)} is not a string`];
      return property.enum && !property.enum.includes(value)
        ? [`${path}: ${value} is not one of its enum`]
        : [];
    case 'number':
      return typeof value === 'number' ? [] : [`${path}: ${JSON.stringify(value)} is not a number`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: ${JSON.stringify(value)} is not a boolean`];
    case 'array':
      if (!Array.isArray(value)) return [`${path}: not an array`];
      return value.flatMap((item, index) =>
        propertyProblems(item, property.items ?? {}, `${path}[${index}]`),
      );
    case 'object':
      return typeof value === 'object' && !Array.isArray(value) ? [] : [`${path}: not an object`];
    default:
      return [];
  }
}

/** Every operation the Google services route, read from their sources so a new route cannot be missed. */
function servedOperations(): string[] {
  const files = ['cloud-dns-service.ts', 'cloud-sql-service.ts', 'gke-service.ts', 'compute-service.ts'];
  const names = new Set<string>();
  for (const file of files) {
    const source = readFileSync(new URL(`../src/gcp/${file}`, import.meta.url), 'utf8');
    for (const match of source.matchAll(/route\(\s*'([\w.]+)'/g)) names.add(match[1]!);
    for (const match of source.matchAll(/\?\s*'([\w.]+)'\s*:\s*'([\w.]+)'/g)) {
      names.add(match[1]!);
      names.add(match[2]!);
    }
  }
  return [...names].sort();
}

const project = 'aegis-prod';
let emulator: Emulator;
const checked = new Map<string, number>();
const problems: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    timeScale: 0,
    seed: {
      gcp: {
        projects: [
          {
            id: project,
            managedZones: [
              {
                name: 'aegis-zone',
                dnsName: 'aegis.io.',
                recordSets: [
                  {
                    name: 'www.aegis.io.',
                    type: 'A',
                    ttl: 60,
                    routingPolicy: {
                      wrr: {
                        items: [
                          { weight: 1, rrdatas: ['192.0.2.1'] },
                          { weight: 2, rrdatas: ['192.0.2.2'] },
                        ],
                      },
                    },
                  },
                  {
                    name: 'app.aegis.io.',
                    type: 'A',
                    ttl: 30,
                    routingPolicy: {
                      healthCheck: `projects/${project}/global/healthChecks/hc`,
                      primaryBackup: {
                        primaryTargets: {
                          internalLoadBalancers: [
                            {
                              ipAddress: '10.0.0.1',
                              port: '443',
                              ipProtocol: 'tcp',
                              loadBalancerType: 'regionalL4ilb',
                            },
                          ],
                        },
                        backupGeoTargets: {
                          items: [
                            {
                              location: 'us-east1',
                              healthCheckedTargets: { externalEndpoints: ['203.0.113.9'] },
                            },
                          ],
                        },
                        trickleTraffic: 0,
                      },
                    },
                  },
                  {
                    name: 'geo.aegis.io.',
                    type: 'A',
                    ttl: 30,
                    routingPolicy: { geo: { items: [{ location: 'us-central1', rrdatas: ['192.0.2.3'] }] } },
                  },
                ],
              },
            ],
            sqlInstances: [
              {
                name: 'db',
                region: 'us-central1',
                failoverDrReplicaName: 'db-dr',
                secondaryGceZone: 'us-central1-c',
              },
              { name: 'db-dr', region: 'us-east1', masterInstanceName: 'db' },
              { name: 'db-read', region: 'us-west1', masterInstanceName: 'db' },
              { name: 'lagging', region: 'europe-west1', failoverDrReplicaName: 'lagging-dr' },
              {
                name: 'lagging-dr',
                region: 'europe-west4',
                masterInstanceName: 'lagging',
                replicationLagSeconds: 900,
              },
            ],
            gkeClusters: [
              {
                name: 'dr',
                location: 'us-central1',
                nodePools: [
                  { name: 'pool', nodeCountPerZone: 1 },
                  {
                    name: 'auto',
                    nodeCountPerZone: 2,
                    autoscaling: { enabled: true, minNodeCount: 1, maxNodeCount: 5 },
                  },
                ],
              },
            ],
          },
        ],
      },
    },
  });
});
afterAll(async () => {
  await emulator.stop();
});

/** One request; its answer is checked against the schema of the operation the emulator logged for it. */
async function call(
  service: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${emulator.endpoint(service)}${path}`, {
    method,
    headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const json = (await response.json()) as Record<string, unknown>;
  const logged = emulator.requests.list().at(-1)!;
  expect(response.status, `${method} ${path}: ${JSON.stringify(json)}`).toBe(200);
  const ref = discovery.responses[service]?.[logged.operation];
  expect(ref, `no schema for ${service} ${logged.operation}`).toBeDefined();
  problems.push(...shapeProblems(json, ref!).map((problem) => `${logged.operation} ${problem}`));
  checked.set(logged.operation, (checked.get(logged.operation) ?? 0) + 1);
  return json;
}

describe('Google services answer in the shapes of their discovery documents', () => {
  it('Cloud DNS: zones, record sets and changes', async () => {
    const zone = `/dns/v1/projects/${project}/managedZones/aegis-zone`;
    await call('gcp.dns', 'GET', `/dns/v1/projects/${project}/managedZones`);
    await call('gcp.dns', 'GET', zone);
    await call('gcp.dns', 'GET', `${zone}/rrsets`);
    await call('gcp.dns', 'GET', `${zone}/rrsets?name=nothing.aegis.io.&type=A`);
    await call('gcp.dns', 'GET', `${zone}/rrsets/www.aegis.io./A`);
    await call('gcp.dns', 'POST', `${zone}/rrsets`, {
      name: 'new.aegis.io.',
      type: 'A',
      ttl: 60,
      rrdatas: ['192.0.2.9'],
    });
    await call('gcp.dns', 'PATCH', `${zone}/rrsets/new.aegis.io./A`, { ttl: 120, rrdatas: ['192.0.2.9'] });
    await call('gcp.dns', 'DELETE', `${zone}/rrsets/new.aegis.io./A`);
    const live = await call('gcp.dns', 'GET', `${zone}/rrsets/app.aegis.io./A`);
    const change = await call('gcp.dns', 'POST', `${zone}/changes`, {
      deletions: [live],
      additions: [{ ...live, ttl: 45 }],
    });
    await call('gcp.dns', 'GET', `${zone}/changes/${String(change.id)}`);
    await emulator.clock.sleep(60_000);
    await call('gcp.dns', 'GET', `${zone}/changes/${String(change.id)}`);
    await call('gcp.dns', 'GET', `${zone}/changes`);
  });

  it('Cloud SQL Admin: instances, the three ways to move a primary, and operations', async () => {
    const base = `/v1/projects/${project}`;
    await call('gcp.sqladmin', 'GET', `${base}/instances`);
    await call('gcp.sqladmin', 'GET', `${base}/instances/db`);
    await call('gcp.sqladmin', 'GET', `${base}/instances/db-dr`);
    // A new read replica (reprotect), and the instance while it is being created.
    await call('gcp.sqladmin', 'POST', `${base}/instances`, {
      name: 'db-new',
      region: 'us-west1',
      masterInstanceName: 'db',
    });
    await call('gcp.sqladmin', 'GET', `${base}/instances/db-new`);
    const patched = await call('gcp.sqladmin', 'PATCH', `${base}/instances/db`, {
      settings: { tier: 'db-custom-2-8192' },
    });
    await emulator.clock.sleep(60_000);
    const version = (
      (await call('gcp.sqladmin', 'GET', `${base}/instances/db`)).settings as { settingsVersion: string }
    ).settingsVersion;
    await call('gcp.sqladmin', 'POST', `${base}/instances/db/failover`, {
      failoverContext: { kind: 'sql#failoverContext', settingsVersion: version },
    });
    await call('gcp.sqladmin', 'GET', `${base}/operations/${String(patched.name)}`);
    await emulator.clock.sleep(600_000);
    await call('gcp.sqladmin', 'POST', `${base}/instances/db-dr/switchover`);
    await call('gcp.sqladmin', 'POST', `${base}/instances/db-read/promoteReplica`);
    // A failed operation carries its error list.
    const failing = await call(
      'gcp.sqladmin',
      'POST',
      `${base}/instances/lagging-dr/switchover?dbTimeout=60s`,
    );
    await emulator.clock.sleep(3_600_000);
    await call('gcp.sqladmin', 'GET', `${base}/operations/${String(failing.name)}`);
    await call('gcp.sqladmin', 'GET', `${base}/operations?instance=db-dr`);
    // After the role swap: qualified masterInstanceName, replicationCluster on both sides.
    await call('gcp.sqladmin', 'GET', `${base}/instances/db`);
    await call('gcp.sqladmin', 'GET', `${base}/instances/db-dr`);
    await call('gcp.sqladmin', 'GET', `/sql/v1beta4/projects/${project}/instances/db`);
  });

  it('GKE and the Compute instance groups behind its pools', async () => {
    const cluster = `/v1/projects/${project}/locations/us-central1/clusters/dr`;
    await call('gcp.container', 'GET', cluster);
    await call('gcp.container', 'GET', `${cluster}/nodePools`);
    const pool = await call('gcp.container', 'GET', `${cluster}/nodePools/pool`);
    await call('gcp.container', 'GET', `${cluster}/nodePools/auto`);
    const sized = await call('gcp.container', 'POST', `${cluster}/nodePools/pool:setSize`, { nodeCount: 2 });
    await call(
      'gcp.container',
      'GET',
      `/v1/projects/${project}/locations/us-central1/operations/${String(sized.name)}`,
    );
    await call('gcp.container', 'GET', cluster);
    const url = new URL((pool.instanceGroupUrls as string[])[0]!);
    await call('gcp.compute', 'GET', url.pathname);
    await emulator.clock.sleep(600_000);
    await call('gcp.container', 'POST', `${cluster}/nodePools/auto:setAutoscaling`, {
      autoscaling: { enabled: true, minNodeCount: 1, maxNodeCount: 6 },
    });
    await call('gcp.container', 'GET', `/v1/projects/${project}/locations/us-central1/operations`);
    await call('gcp.compute', 'GET', url.pathname);
  });

  it('every answer fits its schema, and every route was answered', () => {
    expect(problems).toEqual([]);
    expect([...checked.keys()].sort()).toEqual(servedOperations());
  });

  it('the check is not vacuous: an invented field, a wrong type, a null and an unknown enum fail', () => {
    const instance = {
      kind: 'sql#instance',
      name: 'db',
      state: 'RUNNABLE',
      settings: { settingsVersion: '3' },
    };
    expect(shapeProblems(instance, 'sqladmin.DatabaseInstance')).toEqual([]);
    expect(shapeProblems({ ...instance, lagSeconds: 3 }, 'sqladmin.DatabaseInstance')).toHaveLength(1);
    expect(
      shapeProblems({ ...instance, settings: { settingsVersion: 3 } }, 'sqladmin.DatabaseInstance'),
    ).toHaveLength(1);
    expect(shapeProblems({ ...instance, secondaryGceZone: null }, 'sqladmin.DatabaseInstance')).toHaveLength(
      1,
    );
    expect(shapeProblems({ ...instance, state: 'Scaling' }, 'sqladmin.DatabaseInstance')).toHaveLength(1);
  });
});
