import {
  runClusterScalerConformance,
  runDatabaseFailoverConformance,
  runDnsProviderConformance,
} from '@failover/testing/conformance';
import { faultHooks, healthCheck, startGcpWorld } from './gcp-emulator-world.js';

// The three conformance suites, each case over a fresh emulator, through the
// real Google clients (Cloud DNS REST via google-auth-library, @googleapis/sqladmin,
// @googleapis/container) over HTTP on 127.0.0.1.

runDnsProviderConformance({
  name: 'gcp.dns (Cloud DNS) on the emulator',
  async setup() {
    const world = await startGcpWorld();
    return {
      provider: world.gcp.dnsProvider({ zone: 'aegis-zone' }),
      fixture: {
        failover: {
          ref: { zone: 'aegis-zone', name: 'app.aegis.io.', type: 'A' },
          seeded: {
            name: 'app.aegis.io.',
            type: 'A',
            ttl: 30,
            routing: 'failover',
            targets: [
              {
                id: 'primary',
                values: ['203.0.113.5'],
                priority: 1,
                enabled: true,
                healthCheckId: healthCheck,
              },
              {
                id: 'backup-us-east1',
                values: ['203.0.113.9'],
                priority: 2,
                enabled: true,
                healthCheckId: healthCheck,
                location: 'us-east1',
              },
            ],
          },
        },
        weighted: {
          ref: { zone: 'aegis-zone', name: 'www.aegis.io.', type: 'A' },
          seeded: {
            name: 'www.aegis.io.',
            type: 'A',
            ttl: 60,
            routing: 'weighted',
            targets: [
              { id: 'wrr-0', values: ['198.51.100.10'], weight: 90, enabled: true },
              { id: 'wrr-1', values: ['198.51.100.20'], weight: 10, enabled: true },
            ],
          },
        },
        missing: { zone: 'aegis-zone', name: 'new.aegis.io.', type: 'A' },
      },
      faults: faultHooks(world.emulator),
      mutatingCalls: world.mutating,
      time: world.emulator.clock,
      teardown: world.stop,
    };
  },
});

runDatabaseFailoverConformance({
  name: 'gcp.sql (Cloud SQL) on the emulator',
  async setup() {
    const world = await startGcpWorld();
    return {
      provider: world.gcp.databaseFailover(),
      fixture: {
        database: { id: 'aegis-db' },
        writerRegion: 'us-east1',
        standbyRegion: 'us-central1',
        emptyRegion: 'europe-west1',
        missing: { id: 'no-such-db' },
        // HA failover of the REGIONAL primary to its standby zone (which its GET does not name).
        inRegion: { zone: 'us-east1-b' },
        refusals: [
          {
            title: 'a planned switchover to a region whose replica is not the DR replica',
            kind: 'precondition-failed',
            desired: () => ({ region: 'us-west1', mode: 'planned' }),
          },
          {
            title: 'a zone outside the desired region',
            kind: 'invalid-input',
            desired: () => ({ region: 'us-east1', mode: 'planned', zone: 'not a zone' }),
          },
        ],
      },
      faults: faultHooks(world.emulator),
      mutatingCalls: world.mutating,
      time: world.emulator.clock,
      teardown: world.stop,
    };
  },
});

runClusterScalerConformance({
  name: 'gcp.gke (GKE node pool) on the emulator',
  async setup() {
    const world = await startGcpWorld();
    return {
      provider: world.gcp.clusterScaler(),
      fixture: {
        // A zonal pool: one zone, so any total is a size GKE can set (regional pools are sized per zone).
        pool: { cluster: 'aegis-edge', pool: 'general', region: 'us-east1-b' },
        seeded: { desired: 2, min: 1, max: 5 },
        missing: { cluster: 'aegis-edge', pool: 'nope', region: 'us-east1-b' },
      },
      faults: faultHooks(world.emulator),
      mutatingCalls: world.mutating,
      time: world.emulator.clock,
      teardown: world.stop,
    };
  },
});
