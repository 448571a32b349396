import { describe, expect, it } from 'vitest';
import { FailoverError } from '../errors/failover-error.js';
import { fakeDatabase } from '../executor/test-support/fake-providers.js';
import type { DatabaseTopology } from '../providers/database/database-topology.js';
import { okAsync } from '../result.js';
import { createVirtualTime } from '../time/virtual-time.js';
import { createDatabaseWriterSource } from './database-writer-source.js';
import { createReplicationLagSource } from './replication-lag-source.js';

const topology = (): DatabaseTopology => ({
  id: 'orders',
  failoverInProgress: false,
  members: [
    { id: 'orders-use1', region: 'us-east-1', role: 'writer', status: 'available' },
    { id: 'orders-usw2', region: 'us-west-2', role: 'reader', status: 'available', replicationLagMs: 1_200 },
    { id: 'orders-euw1', region: 'eu-west-1', role: 'reader', status: 'available' },
  ],
});

describe('database signal sources', () => {
  it('reads replication lag from describe when the adapter has no observeReplicationLag; unknown lag is no sample', async () => {
    const db = fakeDatabase(createVirtualTime(), [topology()]);
    const source = createReplicationLagSource({ id: 'lag', database: db, ref: { id: 'orders' } });
    const samples = (await source.read({ at: 5_000, timeoutMs: 1_000 }))._unsafeUnwrap();
    expect(samples).toEqual([
      {
        at: 5_000,
        vantage: 'orders-usw2',
        value: 1_200,
        unit: 'ms',
        detail: 'orders-usw2 in us-west-2 lags 1200 ms',
      },
    ]);
  });

  it("prefers observeReplicationLag, keeping the cloud's sample times", async () => {
    const db = fakeDatabase(createVirtualTime(), [topology()]);
    const withLag = Object.assign(db, {
      observeReplicationLag: () =>
        okAsync({
          specificationVersion: 'v1' as const,
          databaseId: 'orders',
          observedAt: 9_000,
          samples: [{ memberId: 'orders-usw2', region: 'us-west-2', lagMs: 300, sampledAt: 8_000 }],
        }),
    });
    const source = createReplicationLagSource({ id: 'lag', database: withLag, ref: { id: 'orders' } });
    expect((await source.read({ at: 9_000, timeoutMs: 1_000 }))._unsafeUnwrap()).toMatchObject([
      { at: 8_000, value: 300 },
    ]);
  });

  it('says the writer is down when it is unavailable, and when its control plane is unavailable', async () => {
    const db = fakeDatabase(createVirtualTime(), [topology()]);
    const source = createDatabaseWriterSource({
      id: 'writer',
      database: db,
      ref: { id: 'orders' },
      region: 'us-east-1',
    });
    expect((await source.read({ at: 0, timeoutMs: 1_000 }))._unsafeUnwrap()).toMatchObject([
      { status: 'up' },
    ]);
    db.topologies.get('orders')!.members[0]!.status = 'unavailable';
    expect((await source.read({ at: 0, timeoutMs: 1_000 }))._unsafeUnwrap()).toMatchObject([
      { status: 'down' },
    ]);
    db.fail('describe', {
      error: new FailoverError({
        kind: 'unavailable',
        message: 'endpoint dark',
        provider: 'fake.db',
        operation: 'describe',
      }),
    });
    expect((await source.read({ at: 0, timeoutMs: 1_000 }))._unsafeUnwrap()).toMatchObject([
      { status: 'down' },
    ]);
  });

  it('says nothing about the writer when its control plane only throttles (unknown, never down)', async () => {
    const db = fakeDatabase(createVirtualTime(), [topology()]);
    const source = createDatabaseWriterSource({
      id: 'writer',
      database: db,
      ref: { id: 'orders' },
      region: 'us-east-1',
    });
    db.fail('describe', {
      error: new FailoverError({
        kind: 'throttled',
        message: 'Rate exceeded',
        provider: 'fake.db',
        operation: 'describe',
      }),
    });
    expect((await source.read({ at: 0, timeoutMs: 1_000 }))._unsafeUnwrap()).toMatchObject([
      { status: 'unknown' },
    ]);
  });
});
