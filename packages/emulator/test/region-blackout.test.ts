import { ListHostedZonesCommand, Route53Client } from '@aws-sdk/client-route-53';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { SqlManagementClient } from '@azure/arm-sql';
import { TrafficManagerManagementClient } from '@azure/arm-trafficmanager';
import { container } from '@googleapis/container';
import { sqladmin } from '@googleapis/sqladmin';
import { OAuth2Client } from 'google-auth-library';
import { afterEach, describe, expect, it } from 'vitest';
import { blackoutsPath, type Emulator, startEmulator } from '../src/index.js';
import { azureSeed, emulatorHttpClient, fakeCredential, subscriptionId } from './azure-clients.js';

const credentials = { accessKeyId: 'AKIDEMULATOR0000', secretAccessKey: 'emulator-secret' };
let emulator: Emulator;
afterEach(() => emulator.stop());

const route53 = (region = 'us-east-1') =>
  new Route53Client({ region, endpoint: `${emulator.url}/aws/route53`, credentials, maxAttempts: 1 });

describe('region blackouts', () => {
  it('takes Route 53 down with us-east-1, where its control plane lives, and not with another region', async () => {
    emulator = await startEmulator();
    const lift = emulator.blackouts.add({ cloud: 'aws', region: 'eu-west-1' });
    await expect(route53().send(new ListHostedZonesCommand({}))).resolves.toBeDefined();
    lift();
    emulator.blackouts.add({ cloud: 'aws', region: 'us-east-1' });
    const failure = await route53()
      .send(new ListHostedZonesCommand({}))
      .catch((error: { $metadata?: { httpStatusCode?: number } }) => error);
    expect(failure.$metadata?.httpStatusCode).toBe(503);
    expect(emulator.requests.list().at(-1)).toMatchObject({ fault: 'blackout', status: 503 });
  });

  it('drops the connection in drop mode, and the control API adds, lists and lifts blackouts', async () => {
    emulator = await startEmulator();
    const added = await fetch(`${emulator.url}${blackoutsPath}`, {
      method: 'POST',
      body: JSON.stringify({ cloud: 'aws', region: 'us-east-1', mode: 'drop' }),
    });
    expect(await added.json()).toEqual({ blackouts: [{ cloud: 'aws', region: 'us-east-1', mode: 'drop' }] });
    const failure = await route53()
      .send(new ListHostedZonesCommand({}))
      .catch((error: Error & { $metadata?: { httpStatusCode?: number } }) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure.$metadata?.httpStatusCode).toBeUndefined();

    const bad = await fetch(`${emulator.url}${blackoutsPath}`, {
      method: 'POST',
      body: JSON.stringify({ cloud: 'aws', region: 'us-east-1', mode: 'sometimes' }),
    });
    expect(bad.status).toBe(400);
    await fetch(`${emulator.url}${blackoutsPath}`, { method: 'DELETE' });
    expect(emulator.blackouts.list()).toEqual([]);
    await expect(route53().send(new ListHostedZonesCommand({}))).resolves.toBeDefined();
  });
});

/** How a real SDK call ended: the HTTP status it saw, or 200. */
const statusOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 200,
    (error: { statusCode?: number; status?: number; response?: { status?: number } }) =>
      error.statusCode ?? error.response?.status ?? error.status ?? -1,
  );

describe('region blackouts of Azure resources', () => {
  it('fail the ARM requests about resources in the dark region and answer the others', async () => {
    emulator = await startEmulator({ timeScale: 0, seed: { azure: azureSeed() } });
    // No SDK retries: one request each, so the request log shows exactly what the blackout did.
    const options = { httpClient: emulatorHttpClient(emulator.url), retryOptions: { maxRetries: 0 } };
    const sql = new SqlManagementClient(fakeCredential, subscriptionId, options);
    const tm = new TrafficManagerManagementClient(fakeCredential, subscriptionId, options);
    const aks = new ContainerServiceClient(fakeCredential, subscriptionId, options);
    emulator.blackouts.add({ cloud: 'azure', region: 'eastus' });

    // The failover group through its East US primary server is dark; through the West US
    // secondary it answers, and a forced failover sent there completes (its polling URL names West US).
    expect(await statusOf(sql.failoverGroups.get('aegis-rg', 'aegis-sql', 'aegis-fog'))).toBe(503);
    expect(await statusOf(sql.servers.get('aegis-rg', 'aegis-sql'))).toBe(503);
    const west = await sql.failoverGroups.get('aegis-dr-rg', 'aegis-dr-sql', 'aegis-fog');
    expect(west.replicationRole).toBe('Secondary');
    const poller = await sql.failoverGroups.beginForceFailoverAllowDataLoss(
      'aegis-dr-rg',
      'aegis-dr-sql',
      'aegis-fog',
    );
    emulator.clock.advance(60_000);
    await poller.poll();
    expect(poller.getResult()?.replicationRole).toBe('Primary');
    // Traffic Manager is global: an East US outage leaves it answering, endpoint changes included.
    const profile = await tm.profiles.get('aegis-rg', 'aegis-tm');
    expect(profile.endpoints?.map((endpoint) => endpoint.name)).toContain('primary-endpoint');
    // AKS in West US 2 is another region.
    await expect(aks.agentPools.get('aegis-dr-rg', 'aegis-dr-aks', 'agentpool')).resolves.toMatchObject({
      count: 2,
    });

    const dark = emulator.requests.list().filter((entry) => entry.fault === 'blackout');
    expect(dark.map((entry) => [entry.operation, entry.region])).toEqual([
      ['FailoverGroups_Get', 'eastus'],
      ['Servers_Get', 'eastus'],
    ]);
    expect(
      emulator.requests
        .list()
        .filter((entry) => entry.fault === undefined)
        .map((entry) => entry.region),
    ).toEqual(expect.arrayContaining(['westus', 'westus2']));

    // Azure names a region both ways: `West US 2` blacks out what `westus2` names.
    emulator.blackouts.add({ cloud: 'azure', region: 'West US 2' });
    expect(await statusOf(aks.agentPools.get('aegis-dr-rg', 'aegis-dr-aks', 'agentpool'))).toBe(503);
  });
});

describe('region blackouts of Google Cloud resources', () => {
  it('fail the requests about instances, clusters and zones of the dark region and answer the others', async () => {
    const project = 'aegis-prod';
    emulator = await startEmulator({
      timeScale: 0,
      seed: {
        gcp: {
          projects: [
            {
              id: project,
              sqlInstances: [
                { name: 'aegis-db', region: 'us-east1', failoverDrReplicaName: 'aegis-db-dr' },
                {
                  name: 'aegis-db-dr',
                  region: 'us-central1',
                  masterInstanceName: 'aegis-db',
                  replicationLagSeconds: 2,
                },
              ],
              gkeClusters: [
                {
                  name: 'aegis-primary',
                  location: 'us-east1',
                  nodePools: [{ name: 'p', nodeCountPerZone: 2 }],
                },
                {
                  name: 'aegis-zonal',
                  location: 'us-east1-b',
                  nodePools: [{ name: 'p', nodeCountPerZone: 2 }],
                },
                {
                  name: 'aegis-dr',
                  location: 'us-central1',
                  nodePools: [{ name: 'p', nodeCountPerZone: 1 }],
                },
              ],
            },
          ],
        },
      },
    });
    const auth = new OAuth2Client();
    auth.setCredentials({ access_token: 'test-token', expiry_date: Date.now() + 3_600_000 });
    const sql = sqladmin({ version: 'v1', auth });
    const gke = container({ version: 'v1', auth });
    const sqlRoot = { rootUrl: `${emulator.endpoint('gcp.sqladmin')}/`, retry: false };
    const gkeRoot = { rootUrl: `${emulator.endpoint('gcp.container')}/`, retry: false };
    const pool = (location: string, cluster: string) =>
      `projects/${project}/locations/${location}/clusters/${cluster}/nodePools/p`;
    emulator.blackouts.add({ cloud: 'gcp', region: 'us-east1' });

    expect(await statusOf(sql.instances.get({ project, instance: 'aegis-db' }, sqlRoot))).toBe(503);
    expect(
      await statusOf(
        gke.projects.locations.clusters.nodePools.get({ name: pool('us-east1', 'aegis-primary') }, gkeRoot),
      ),
    ).toBe(503);
    // A zone of the dark region is dark too.
    expect(
      await statusOf(
        gke.projects.locations.clusters.nodePools.get({ name: pool('us-east1-b', 'aegis-zonal') }, gkeRoot),
      ),
    ).toBe(503);
    // The replica in us-central1 answers and is promoted; the operation is read there too.
    const promoted = await sql.instances.promoteReplica({ project, instance: 'aegis-db-dr' }, sqlRoot);
    const operation = await sql.operations.get({ project, operation: promoted.data.name! }, sqlRoot);
    expect(operation.data.targetId).toBe('aegis-db-dr');
    expect(
      await statusOf(
        gke.projects.locations.clusters.nodePools.get({ name: pool('us-central1', 'aegis-dr') }, gkeRoot),
      ),
    ).toBe(200);
    // Listing a project's instances goes to the global front end.
    expect(await statusOf(sql.instances.list({ project }, sqlRoot))).toBe(200);

    const dark = emulator.requests.list().filter((entry) => entry.fault === 'blackout');
    expect(dark.map((entry) => entry.region)).toEqual(['us-east1', 'us-east1', 'us-east1']);
  });
});
