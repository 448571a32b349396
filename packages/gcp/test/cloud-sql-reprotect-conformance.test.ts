import { runDatabaseReprotectConformance } from '@failover/testing/conformance';
import { startGcpWorld } from './gcp-emulator-world.js';

// The reprotect conformance suite on Cloud SQL, through the real client on the emulator: each
// case starts after a forced failover to us-west1 (aegis-db-read promoted, standing alone).
runDatabaseReprotectConformance({
  name: 'gcp.sql on the emulator',
  async setup() {
    const world = await startGcpWorld();
    const provider = world.gcp.databaseFailover();
    const database = { id: 'aegis-db' };
    const promoted = (
      await provider.ensureWriter(database, { region: 'us-west1', mode: 'forced' })
    )._unsafeUnwrap();
    (await provider.waitForWriter(promoted.handle!, { timeoutMs: 3_600_000 }))._unsafeUnwrap();
    const writer = { region: 'us-west1', memberId: 'aegis-db-read' };
    return {
      provider,
      fixture: {
        database,
        replica: { region: 'us-east1', replicaId: 'aegis-db-east', writer },
        // The DR replica of the old primary: no replica of the promoted writer.
        foreign: { region: 'us-central1', replicaId: 'aegis-db-dr', writer },
      },
      faults: {
        loseAnswer: () => {
          world.emulator.faults.add({
            fault: 'applied-then-500',
            service: 'gcp.sqladmin',
            operation: 'instances.insert',
            times: 1,
          });
        },
      },
      mutatingCalls: () => world.mutating(),
      time: world.emulator.clock,
      teardown: () => world.stop(),
    };
  },
});
