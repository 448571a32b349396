import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAksAgentPoolRoutes } from '../src/azure/aks-agent-pools.js';
import { createArmWorld } from '../src/azure/arm-world.js';
import { createSqlFailoverGroupRoutes } from '../src/azure/sql-failover-groups.js';
import { createTrafficManagerRoutes } from '../src/azure/traffic-manager-profiles.js';
import { createEmulatorClock, type Emulator, startEmulator } from '../src/index.js';
import { azureSeed, subscriptionId } from './azure-clients.js';
import { type SpecSchema, specViolations } from './azure-spec-validator.js';

interface Fixture {
  operations: Record<string, { responses: Record<string, string | null> }>;
  errors: { schema: string };
  definitions: Record<string, SpecSchema>;
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/azure-rest-specs.json', import.meta.url), 'utf8'),
) as Fixture;

/** Every operation the emulator's Azure routes serve. */
function servedOperations(): string[] {
  const context = {
    clock: createEmulatorClock({ timeScale: 0 }),
    random: () => 0.5,
    duration: (_: string, ms: number) => ms,
  };
  const world = createArmWorld(context, {});
  return [
    ...createSqlFailoverGroupRoutes(world, {}),
    ...createTrafficManagerRoutes(world, {}),
    ...createAksAgentPoolRoutes(world, {}),
  ].map((route) => route.operation);
}

interface Answer {
  operation: string;
  status: number;
  text: string;
  headers: Headers;
}

let emulator: Emulator;
const answers: Answer[] = [];

async function call(method: string, path: string, apiVersion: string, body?: unknown): Promise<Answer> {
  const url = new URL(`${emulator.url}/azure${path}`);
  url.searchParams.set('api-version', apiVersion);
  const response = await fetch(url, {
    method,
    headers: {
      authorization: 'Bearer fake-token',
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const entry = emulator.requests.list().at(-1)!;
  const answer = {
    operation: entry.operation,
    status: response.status,
    text: await response.text(),
    headers: response.headers,
  };
  answers.push(answer);
  return answer;
}

/** GETs an LRO URL the emulator handed out (https on the management host), with its own api-version. */
function follow(link: string | null): Promise<Answer> {
  const url = new URL(link!);
  return call('GET', url.pathname, url.searchParams.get('api-version')!);
}

const tmVersion = '2022-04-01';
const sqlVersion = '2020-11-01-preview';
const aksVersion = '2026-04-01';
const rg = `/subscriptions/${subscriptionId}/resourceGroups`;
const tmPath = `${rg}/aegis-rg/providers/Microsoft.Network/trafficmanagerprofiles`;
const fogPath = (resourceGroup: string, server: string, group: string) =>
  `${rg}/${resourceGroup}/providers/Microsoft.Sql/servers/${server}/failoverGroups/${group}`;
const aksPath = `${rg}/aegis-dr-rg/providers/Microsoft.ContainerService/managedClusters/aegis-dr-aks`;

beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 0, seed: { azure: azureSeed() } });
  const json = (answer: Answer) => JSON.parse(answer.text) as Record<string, unknown>;

  // Traffic Manager: every route, on Azure and external endpoints.
  await call('GET', tmPath, tmVersion);
  const profile = json(await call('GET', `${tmPath}/aegis-tm`, tmVersion));
  const endpoints = (profile.properties as { endpoints: Array<{ type: string; name: string }> }).endpoints;
  const endpointPath = (endpoint: { type: string; name: string }) =>
    `${tmPath}/aegis-tm/${endpoint.type.split('/').at(-1)}/${endpoint.name}`;
  await call('GET', endpointPath(endpoints[0]!), tmVersion);
  await call('PATCH', endpointPath(endpoints[0]!), tmVersion, { properties: { weight: 5 } });
  const extra = { properties: { target: 'extra.example.com', priority: 9 } };
  await call('PUT', `${tmPath}/aegis-tm/ExternalEndpoints/extra`, tmVersion, extra);
  await call('PUT', `${tmPath}/aegis-tm/ExternalEndpoints/extra`, tmVersion, extra);
  await call('PATCH', `${tmPath}/aegis-tm`, tmVersion, { properties: { dnsConfig: { ttl: 45 } } });
  await call('GET', `${tmPath}/no-such-profile`, tmVersion);

  // SQL: reads, the three failovers, their status monitor and result (running, then done), busy.
  const server = `${rg}/aegis-dr-rg/providers/Microsoft.Sql/servers/aegis-dr-sql`;
  await call('GET', server, '2022-08-01-preview');
  await call('GET', `${server}/failoverGroups`, sqlVersion);
  await call('GET', fogPath('aegis-dr-rg', 'aegis-dr-sql', 'aegis-fog'), sqlVersion);
  const planned = await call(
    'POST',
    `${fogPath('aegis-dr-rg', 'aegis-dr-sql', 'aegis-fog')}/failover`,
    sqlVersion,
  );
  await call('POST', `${fogPath('aegis-dr-rg', 'aegis-dr-sql', 'aegis-fog')}/failover`, sqlVersion); // busy
  await follow(planned.headers.get('azure-asyncoperation'));
  await follow(planned.headers.get('location'));
  emulator.clock.advance(10 * 60_000);
  await follow(planned.headers.get('azure-asyncoperation'));
  await follow(planned.headers.get('location'));
  await call(
    'POST',
    `${fogPath('aegis-dr-rg', 'ledger-dr-sql', 'ledger-fog')}/forceFailoverAllowDataLoss`,
    sqlVersion,
  );
  emulator.clock.advance(10 * 60_000);
  await call('GET', fogPath('aegis-dr-rg', 'ledger-dr-sql', 'ledger-fog'), sqlVersion);
  await call(
    'POST',
    `${fogPath('aegis-rg', 'aegis-sql', 'aegis-fog')}/tryPlannedBeforeForcedFailover`,
    '2023-02-01-preview',
  );

  // AKS: cluster, pools, an update of a pool, a new pool, the operation status (running, then done).
  await call('GET', aksPath, aksVersion);
  await call('GET', `${aksPath}/agentPools`, aksVersion);
  const pool = json(await call('GET', `${aksPath}/agentPools/agentpool`, aksVersion));
  const update = await call('PUT', `${aksPath}/agentPools/agentpool`, aksVersion, {
    properties: { ...(pool.properties as object), count: 4 },
  });
  await call('PUT', `${aksPath}/agentPools/newpool`, aksVersion, {
    properties: { count: 1, vmSize: 'Standard_DS2_v2' },
  });
  await call('GET', aksPath, aksVersion); // with pools updating
  await call('POST', `${aksPath}/listClusterUserCredential`, aksVersion);
  await follow(update.headers.get('azure-asyncoperation'));
  emulator.clock.advance(10 * 60_000);
  await follow(update.headers.get('azure-asyncoperation'));
});
afterAll(() => emulator.stop());

describe('every Azure emulator response matches the published REST specs', () => {
  it('covers every route the emulator serves, and every route has a spec entry', () => {
    const served = new Set(servedOperations());
    expect([...served].filter((operation) => !fixture.operations[operation])).toEqual([]);
    const exercised = new Set(answers.map((answer) => answer.operation));
    expect([...served].filter((operation) => !exercised.has(operation))).toEqual([]);
  });

  it('answers each with the body its spec declares: types, required, nullability, enums, nothing invented', () => {
    const problems: string[] = [];
    for (const answer of answers) {
      const spec = fixture.operations[answer.operation];
      const where = `${answer.operation} ${answer.status}`;
      if (answer.status >= 400) {
        problems.push(
          ...specViolations(
            JSON.parse(answer.text),
            { $ref: fixture.errors.schema },
            fixture.definitions,
            where,
          ),
        );
        continue;
      }
      const declared = spec?.responses[String(answer.status)];
      if (declared === undefined) {
        problems.push(`${where}: a status the spec does not declare`);
      } else if (declared === null) {
        if (answer.text.trim() !== '') problems.push(`${where}: a body where the spec declares none`);
      } else {
        problems.push(
          ...specViolations(JSON.parse(answer.text), { $ref: declared }, fixture.definitions, where),
        );
      }
    }
    expect(problems).toEqual([]);
    expect(answers.length).toBeGreaterThan(20);
  });

  it('fails a shape the spec does not have (the check is not vacuous)', () => {
    const profile = JSON.parse(answers.find((answer) => answer.operation === 'Profiles_Get')!.text);
    const endpoint = profile.properties.endpoints[0];
    const invented = { ...profile, properties: { ...profile.properties, inventedField: 1 } };
    expect(specViolations(invented, { $ref: 'Profile' }, fixture.definitions)).toEqual([
      '$.properties.inventedField: not a property of the spec',
    ]);
    const nullStatus = { ...endpoint, properties: { ...endpoint.properties, endpointStatus: null } };
    expect(specViolations(nullStatus, { $ref: 'Endpoint' }, fixture.definitions)).toHaveLength(1);
    const badEnum = { ...endpoint, properties: { ...endpoint.properties, endpointMonitorStatus: 'Fine' } };
    expect(specViolations(badEnum, { $ref: 'Endpoint' }, fixture.definitions)[0]).toContain('not one of');
    const { targetResourceId: _omitted, ...leftOut } = endpoint.properties;
    expect(
      specViolations({ ...endpoint, properties: leftOut }, { $ref: 'Endpoint' }, fixture.definitions),
    ).toEqual(['$.properties.targetResourceId: left out where the service sends it (null when empty)']);
    expect(specViolations({ properties: {} }, { $ref: 'FailoverGroup' }, fixture.definitions)).toEqual([
      '$.properties.readWriteEndpoint: required but absent',
      '$.properties.partnerServers: required but absent',
    ]);
  });
});
