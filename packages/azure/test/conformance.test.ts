import type { DnsRecordSet } from '@failover/core';
import {
  runClusterScalerConformance,
  runDatabaseFailoverConformance,
  runDnsProviderConformance,
} from '@failover/testing/conformance';
import { type AzureWorld, startAzureWorld } from './azure-emulator.js';

const throttle = (
  world: AzureWorld,
  operations: string | readonly string[],
  count: number,
  retryAfterMs: number,
) => {
  for (const operation of typeof operations === 'string' ? [operations] : operations) {
    world.emulator.faults.add({
      fault: 'throttle',
      operation,
      times: count,
      retryAfterSeconds: retryAfterMs / 1000,
    });
  }
};

runDnsProviderConformance({
  name: 'azure.trafficmanager on the emulator',
  async setup() {
    const world = await startAzureWorld();
    // ensureRecordSet sends one endpoint PATCH, or one profile PATCH carrying the endpoints.
    const operations = {
      getRecordSet: 'Profiles_Get',
      ensureRecordSet: ['Endpoints_Update', 'Profiles_Update'],
      waitForChange: 'Profiles_Get',
    };
    return {
      provider: world.azure.dnsProvider({ resourceGroup: 'aegis-rg', priorityRouting: 'failover' }),
      fixture: {
        failover: {
          ref: { zone: 'aegis-rg', name: 'aegis-tm' },
          seeded: {
            name: 'aegis-tm',
            type: 'CNAME',
            ttl: 30,
            routing: 'failover',
            targets: [
              {
                id: 'primary-endpoint',
                values: ['app-east.example.com'],
                weight: 1,
                priority: 1,
                enabled: true,
                location: 'East US',
              },
              {
                id: 'secondary-endpoint',
                values: ['app-west.example.com'],
                weight: 1,
                priority: 2,
                enabled: true,
                location: 'West US',
              },
            ],
          },
        },
        weighted: {
          ref: { zone: 'aegis-rg', name: 'aegis-weighted' },
          seeded: {
            name: 'aegis-weighted',
            type: 'CNAME',
            ttl: 60,
            routing: 'weighted',
            targets: [
              { id: 'east', values: ['east.example.com'], weight: 100, priority: 1, enabled: true },
              { id: 'west', values: ['west.example.com'], weight: 1, priority: 2, enabled: true },
            ],
          },
        },
        missing: { zone: 'aegis-rg', name: 'no-such-profile' },
        // Issue 11: a weight of 0 (Traffic Manager accepts 1-1000) used to pass the dry-run.
        refusals: [
          {
            title: 'a Traffic Manager weight of 0',
            kind: 'invalid-input',
            desired: (observed) => {
              const current = observed as DnsRecordSet;
              return {
                ...current,
                targets: current.targets.map((target, index) =>
                  index === 0 ? { ...target, weight: 0 } : target,
                ),
              };
            },
          },
        ],
      },
      faults: {
        throttle: (operation, { count, retryAfterMs }) =>
          throttle(world, operations[operation], count, retryAfterMs),
        // Writes apply at once; what can hang is the health probe of the endpoints they touch.
        stuck: () => {
          world.emulator.faults.add({ fault: 'stuck', operation: 'Endpoints_Update' });
          world.emulator.faults.add({ fault: 'stuck', operation: 'Profiles_Update' });
        },
        // Applied, then a 500 (the kit's "answer was lost" case), whichever write the change uses.
        loseAnswer: () => {
          world.emulator.faults.add({ fault: 'applied-then-500', operation: 'Endpoints_Update', times: 1 });
          world.emulator.faults.add({ fault: 'applied-then-500', operation: 'Profiles_Update', times: 1 });
        },
      },
      mutatingCalls: world.mutatingCalls,
      time: world.emulator.clock,
      teardown: world.stop,
    };
  },
});

runDatabaseFailoverConformance({
  name: 'azure.sql failover group on the emulator',
  async setup() {
    const world = await startAzureWorld();
    const operations = {
      describe: 'FailoverGroups_Get',
      ensureWriter: 'FailoverGroups_Failover',
      waitForWriter: 'FailoverGroups_GetAsyncOperation',
    };
    return {
      provider: world.azure.databaseFailover(),
      fixture: {
        database: { id: 'aegis-rg/aegis-sql/aegis-fog' },
        writerRegion: 'eastus',
        standbyRegion: 'westus',
        emptyRegion: 'northeurope',
        missing: { id: 'aegis-rg/aegis-sql/no-such-group' },
      },
      faults: {
        throttle: (operation, { count, retryAfterMs }) =>
          throttle(world, operations[operation], count, retryAfterMs),
        stuck: () => {
          world.emulator.faults.add({ fault: 'stuck', operation: 'FailoverGroups_Failover', times: 1 });
        },
        loseAnswer: () => {
          world.emulator.faults.add({
            fault: 'applied-then-500',
            operation: 'FailoverGroups_Failover',
            times: 1,
          });
        },
      },
      mutatingCalls: world.mutatingCalls,
      time: world.emulator.clock,
      teardown: world.stop,
    };
  },
});

runClusterScalerConformance({
  name: 'azure.aks agent pool on the emulator',
  async setup() {
    const world = await startAzureWorld();
    const operations = {
      describePool: 'AgentPools_Get',
      ensureSize: 'AgentPools_CreateOrUpdate',
      waitForPool: 'ManagedClusters_GetOperationStatus',
    };
    return {
      provider: world.azure.clusterScaler(),
      fixture: {
        pool: { cluster: 'aegis-dr-rg/aegis-dr-aks', pool: 'burst' },
        seeded: { desired: 2, min: 1, max: 5 },
        missing: { cluster: 'aegis-dr-rg/aegis-dr-aks', pool: 'no-such-pool' },
      },
      faults: {
        throttle: (operation, { count, retryAfterMs }) =>
          throttle(world, operations[operation], count, retryAfterMs),
        stuck: () => {
          world.emulator.faults.add({ fault: 'stuck', operation: 'AgentPools_CreateOrUpdate', times: 1 });
        },
        loseAnswer: () => {
          world.emulator.faults.add({
            fault: 'applied-then-500',
            operation: 'AgentPools_CreateOrUpdate',
            times: 1,
          });
        },
      },
      mutatingCalls: world.mutatingCalls,
      time: world.emulator.clock,
      teardown: world.stop,
    };
  },
});
