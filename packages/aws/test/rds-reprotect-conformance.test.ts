import { runDatabaseReprotectConformance } from '@failover/testing/conformance';
import { awsOn, awsWorld, mutations, startAwsEmulator } from './aws-emulator.js';

// The reprotect conformance suite on RDS instances, through the real SDK on the emulator:
// each case starts after a forced failover (aegis-db-replica in us-west-2 promoted).
runDatabaseReprotectConformance({
  name: 'aws.rds instances on the emulator',
  async setup() {
    const emulator = await startAwsEmulator(awsWorld());
    const provider = awsOn(emulator, { retry: { maxAttempts: 1 } }).rdsInstanceFailover();
    const database = { id: 'aegis-db' };
    const promoted = (
      await provider.ensureWriter(database, {
        region: 'us-west-2',
        mode: 'forced',
        memberId: 'aegis-db-replica',
      })
    )._unsafeUnwrap();
    (await provider.waitForWriter(promoted.handle!, { timeoutMs: 3_600_000 }))._unsafeUnwrap();
    const writer = { region: 'us-west-2', memberId: 'aegis-db-replica' };
    return {
      provider,
      fixture: {
        database,
        replica: { region: 'us-east-1', replicaId: 'aegis-db-east', writer },
        // The old source, standing alone in us-east-1: no replica of the promoted writer.
        foreign: { region: 'us-east-1', replicaId: 'aegis-db', writer },
      },
      faults: {
        loseAnswer: () => {
          emulator.faults.add({
            fault: 'applied-then-500',
            operation: 'CreateDBInstanceReadReplica',
            times: 1,
          });
        },
      },
      mutatingCalls: () => mutations(emulator, 'aws.rds'),
      time: emulator.clock,
      teardown: () => emulator.stop(),
    };
  },
});
