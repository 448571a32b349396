// A replication-lag gate with `orWriterIn` (a failback's reprotect gate): once the writer
// is in that region, the move the gate guards is made and it passes; before, it measures
// the lag as any replication-lag check does.
import { describe, expect, it } from 'vitest';
import type { CheckSpec } from '../plan/check-spec.js';
import { createVirtualTime } from '../time/virtual-time.js';
import { runPlan } from './run-plan.js';
import { fakeDatabase, twoRegionDatabase } from './test-support/fake-providers.js';
import { testPlan } from './test-support/test-plans.js';

const gate = (extra: Partial<Extract<CheckSpec, { type: 'replication-lag' }>> = {}) =>
  testPlan([
    {
      id: 'reprotect',
      kind: 'check',
      check: {
        type: 'replication-lag',
        provider: 'db',
        database: { id: 'orders' },
        region: 'us-east-1',
        maxLagMs: 5_000,
        ...extra,
      },
    },
  ]);

async function status(writer: string, reader: string, lagMs: number, extra?: Parameters<typeof gate>[0]) {
  const time = createVirtualTime();
  const db = fakeDatabase(time, [twoRegionDatabase('orders', writer, reader, lagMs)]);
  const run = (await runPlan(gate(extra), { providers: { db }, time }))._unsafeUnwrap();
  return run.steps[0]!.status;
}

describe('replication-lag with orWriterIn', () => {
  it('passes once the writer is in that region (no reader there to measure)', async () => {
    expect(await status('us-east-1', 'us-west-2', 100, { orWriterIn: 'us-east-1' })).toBe('succeeded');
    // Without it, the same world fails: no reader in us-east-1.
    expect(await status('us-east-1', 'us-west-2', 100)).toBe('failed');
  });

  it('before the move, still measures the lag in the region', async () => {
    expect(await status('us-west-2', 'us-east-1', 100, { orWriterIn: 'us-east-1' })).toBe('succeeded');
    expect(await status('us-west-2', 'us-east-1', 60_000, { orWriterIn: 'us-east-1' })).toBe('failed');
  });
});
