import {
  runClusterScalerConformance,
  runDatabaseFailoverConformance,
  runDnsProviderConformance,
} from '../src/conformance/index.js';
import { createSimulatedWorld } from '../src/index.js';
import { apiRecord, simulatorHooks, standardSeed, webRecord } from './fixtures.js';

// Virtual time makes long deadlines free; 20 s is shorter than any simulated operation.
const timeouts = { deadlineMs: 20_000, abortAfterMs: 1_000 };

let seed = 100;
const world = () => createSimulatedWorld({ seed: seed++ }).seed(standardSeed);

runDnsProviderConformance({
  name: 'simulator',
  timeouts,
  setup() {
    const w = world();
    return {
      provider: w.dnsProvider(),
      fixture: {
        failover: { ref: { zone: 'example.com.', name: 'api.example.com.', type: 'A' }, seeded: apiRecord },
        weighted: { ref: { zone: 'Z123', name: 'www.example.com', type: 'CNAME' }, seeded: webRecord },
        missing: { zone: 'example.com.', name: 'new.example.com.', type: 'A' },
      },
      ...simulatorHooks(w),
    };
  },
});

// The same world with every optional capability and hook turned off: those cases must show as skipped.
runDnsProviderConformance({
  name: 'simulator without optional capabilities or hooks',
  timeouts,
  setup() {
    const w = world();
    return {
      provider: w.dnsProvider('sim.dns.minimal', {
        capabilities: {
          routing: ['failover'],
          createRecordSet: false,
          setTtl: false,
          disableTarget: false,
          weightScale: undefined,
        },
      }),
      fixture: {
        failover: { ref: { name: 'api.example.com.', type: 'A' }, seeded: apiRecord },
        missing: { zone: 'example.com.', name: 'new.example.com.', type: 'A' },
      },
      time: w.time,
    };
  },
});

const databaseFixture = {
  database: { id: 'orders' },
  writerRegion: 'us-east-1',
  standbyRegion: 'eu-west-1',
  emptyRegion: 'ap-southeast-2',
  missing: { id: 'no-such-database' },
};

runDatabaseFailoverConformance({
  name: 'simulator',
  timeouts,
  setup() {
    const w = world();
    return { provider: w.databaseFailover(), fixture: databaseFixture, ...simulatorHooks(w) };
  },
});

// A Multi-AZ database: a standby in another zone of the writer's region, for the in-region cases.
runDatabaseFailoverConformance({
  name: 'simulator, Multi-AZ',
  timeouts,
  setup() {
    const w = createSimulatedWorld({ seed: seed++ }).seed({
      databases: [
        {
          id: 'orders',
          members: [
            { id: 'orders-use1a', region: 'us-east-1', zone: 'us-east-1a', role: 'writer' },
            { id: 'orders-use1b', region: 'us-east-1', zone: 'us-east-1b', role: 'reader' },
            { id: 'orders-euw1', region: 'eu-west-1', zone: 'eu-west-1a', role: 'reader' },
          ],
        },
      ],
    });
    return {
      provider: w.databaseFailover(),
      fixture: { ...databaseFixture, inRegion: { zone: 'us-east-1b' } },
      ...simulatorHooks(w),
    };
  },
});

runDatabaseFailoverConformance({
  name: 'simulator, forced only, no lag, no hooks',
  timeouts,
  setup() {
    const w = world();
    return {
      provider: w.databaseFailover('sim.database.forced', {
        capabilities: { modes: ['forced'], replicationLag: false },
      }),
      fixture: databaseFixture,
      time: w.time,
    };
  },
});

const poolFixture = {
  pool: { cluster: 'prod-euw1', pool: 'general', region: 'eu-west-1' },
  seeded: { desired: 2, min: 1, max: 12 },
  missing: { cluster: 'prod-euw1', pool: 'gpu' },
};

runClusterScalerConformance({
  name: 'simulator',
  timeouts,
  setup() {
    const w = world();
    return { provider: w.clusterScaler(), fixture: poolFixture, ...simulatorHooks(w) };
  },
});

runClusterScalerConformance({
  name: 'simulator without bounds',
  timeouts,
  setup() {
    const w = world();
    return {
      provider: w.clusterScaler('sim.cluster.fixed', { capabilities: { bounds: false } }),
      fixture: poolFixture,
      time: w.time,
    };
  },
});
