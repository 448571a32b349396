import { describe, expect, it } from 'vitest';
import { FailoverError } from '../errors/failover-error.js';
import type { DatabaseFailoverV1 } from '../providers/database/database-failover-v1.js';
import type { DatabaseTopology } from '../providers/database/database-topology.js';
import { errAsync, okAsync } from '../result.js';
import { createVirtualTime } from '../time/virtual-time.js';
import { runPlan } from './run-plan.js';
import { dbSwitch, testPlan } from './test-support/test-plans.js';

const topology = (writer: string): DatabaseTopology => ({
  id: 'orders',
  failoverInProgress: false,
  members: [
    {
      id: 'east',
      region: 'us-east-1',
      role: writer === 'us-east-1' ? 'writer' : 'reader',
      status: 'available',
    },
    {
      id: 'west',
      region: 'eu-west-1',
      role: writer === 'eu-west-1' ? 'writer' : 'reader',
      status: 'available',
    },
  ],
});

/** A database whose first failover request is lost without being applied. */
function lostFirstFailover() {
  let writer = 'us-east-1';
  const ensures: number[] = [];
  const waits: string[] = [];
  const db: DatabaseFailoverV1 = {
    specificationVersion: 'v1',
    kind: 'database',
    provider: 'test.db',
    capabilities: { modes: ['planned'], replicationLag: false },
    describe: () => okAsync(topology(writer)),
    ensureWriter: () => {
      ensures.push(ensures.length + 1);
      // The first request "was sent" but never applied; the second is.
      if (ensures.length > 1) writer = 'eu-west-1';
      return okAsync({
        before: topology('us-east-1'),
        changed: true,
        handle: { provider: 'test.db', operation: 'Failover', id: `op-${ensures.length}`, startedAt: 0 },
      });
    },
    waitForWriter: (handle) => {
      waits.push(handle.id!);
      if (handle.id === 'op-1') {
        return errAsync(
          new FailoverError({
            kind: 'not-found',
            message: 'no operation op-1',
            provider: 'test.db',
            operation: 'waitForWriter',
            retryable: true,
          }),
        );
      }
      return okAsync(topology(writer));
    },
  };
  return { db, ensures, waits };
}

describe('a wait that finds no operation behind its handle', () => {
  it('makes the next attempt observe and ensure again, instead of waiting on the dead handle', async () => {
    const { db, ensures, waits } = lostFirstFailover();
    const run = (
      await runPlan(testPlan([dbSwitch('promote')]), {
        providers: { db },
        time: createVirtualTime(),
        random: () => 0,
      })
    )._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(ensures).toEqual([1, 2]);
    expect(waits).toEqual(['op-1', 'op-2']);
  });

  it('a not-found that is not retryable ends the step as before', async () => {
    const { db, ensures } = lostFirstFailover();
    db.waitForWriter = () =>
      errAsync(
        new FailoverError({
          kind: 'not-found',
          message: 'gone',
          provider: 'test.db',
          operation: 'waitForWriter',
        }),
      );
    const run = (
      await runPlan(testPlan([dbSwitch('promote')]), {
        providers: { db },
        time: createVirtualTime(),
        random: () => 0,
      })
    )._unsafeUnwrap();
    expect(run.status).not.toBe('succeeded');
    expect(ensures).toEqual([1]);
  });
});
