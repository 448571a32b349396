// The database conformance kit on the Azure SQL adapter WITH a lag reader: it then declares
// capabilities.replicationLag, so the kit's "describe reports replication lag of every reader"
// case runs (conformance.test.ts runs the reader-less adapter, where that case is skipped).
// The reader is geoReplicationLagQuery over an in-test SQL function answering the DMV on
// whichever server the adapter found to be primary. Fault cases are conformance.test.ts's.
import { runDatabaseFailoverConformance } from '@failover/testing/conformance';
import { type AzureSqlQueryRequest, geoReplicationLagQuery } from '../src/index.js';
import { startAzureWorld } from './azure-emulator.js';

const partnerOf: Record<string, string> = { 'aegis-sql': 'aegis-dr-sql', 'aegis-dr-sql': 'aegis-sql' };

runDatabaseFailoverConformance({
  name: 'azure.sql failover group with a lag reader, on the emulator',
  async setup() {
    const world = await startAzureWorld();
    const lagReader = geoReplicationLagQuery(async ({ target, parameters }: AzureSqlQueryRequest) => [
      {
        partner_server: partnerOf[target.server] ?? 'unknown',
        partner_database: parameters.database,
        last_replication: new Date(world.emulator.clock.now() - 2_000),
        replication_lag_sec: 1,
        replication_state_desc: 'CATCH_UP',
        role_desc: 'PRIMARY',
      },
    ]);
    return {
      provider: world.azure.databaseFailover({ lagReader }),
      fixture: {
        database: { id: 'aegis-rg/aegis-sql/aegis-fog' },
        writerRegion: 'eastus',
        standbyRegion: 'westus',
        emptyRegion: 'northeurope',
        missing: { id: 'aegis-rg/aegis-sql/no-such-group' },
      },
      mutatingCalls: world.mutatingCalls,
      time: world.emulator.clock,
      teardown: world.stop,
    };
  },
});
