// Issue 11.2: a dry-run predicts the run. Every step a provider's pre-check refuses is
// reported with its step id, by the dry-run and by a real run before any mutating call.
import { createVirtualTime, database, definePlan, type FailoverPlan, runPlan, scale } from '@failover/core';
import { createSimulatedWorld } from '@failover/testing';
import { describe, expect, it } from 'vitest';

const pool = { cluster: 'prod-euw1', pool: 'general', region: 'eu-west-1' };

function world() {
  return createSimulatedWorld({ seed: 7, time: createVirtualTime() }).seed({
    databases: [
      {
        id: 'orders',
        members: [
          { id: 'orders-use1', region: 'us-east-1', role: 'writer' },
          // The standby is down: ensureWriter would refuse with precondition-failed.
          { id: 'orders-euw1', region: 'eu-west-1', role: 'reader', status: 'unavailable' },
        ],
      },
    ],
    pools: [{ ...pool, desired: 2, min: 1, max: 12 }],
  });
}

/** Two steps the providers refuse, in two independent branches, plus a valid one first. */
function plan(): FailoverPlan {
  return definePlan({ id: 'refused', name: 'refused', sourceRegion: 'us-east-1', targetRegion: 'eu-west-1' })
    .step(scale.pool('scale-ok', { provider: 'k8s', pool, desired: 4 }))
    .step(scale.pool('scale-too-big', { provider: 'k8s', pool, desired: 50 }))
    .after('scale-ok')
    .step(
      database.ensureWriter('promote', {
        provider: 'db',
        database: { id: 'orders' },
        region: 'eu-west-1',
        mode: 'planned',
      }),
    )
    .after('scale-too-big')
    .build()
    ._unsafeUnwrap();
}

describe('pre-checks: the dry-run predicts the run', () => {
  it('a dry-run fails with every refusal and its step id', async () => {
    const w = world();
    const dry = (
      await runPlan(plan(), {
        providers: { db: w.databaseFailover(), k8s: w.clusterScaler() },
        time: w.time,
        dryRun: true,
      })
    )._unsafeUnwrap();
    expect(dry.status).toBe('failed');
    expect(dry.refusals?.map((r) => [r.stepId, r.error.kind])).toEqual([
      ['scale-too-big', 'invalid-input'],
      ['promote', 'precondition-failed'],
    ]);
    expect(dry.diffs!['scale-too-big']).toMatchObject({
      wouldChange: true,
      refused: { kind: 'invalid-input' },
    });
    expect(dry.diffs!['scale-ok']).not.toHaveProperty('refused');
    expect(dry.error?.message).toContain('scale-too-big');
    expect(dry.error?.message).toContain('promote');
    expect(w.calls({ mutating: true })).toEqual([]);
  });

  it('a real run reports the same refusals before any mutating call, and changes nothing', async () => {
    const w = world();
    const run = (
      await runPlan(plan(), {
        providers: { db: w.databaseFailover(), k8s: w.clusterScaler() },
        time: w.time,
      })
    )._unsafeUnwrap();
    expect(run.status).toBe('failed');
    expect(run.refusals?.map((r) => [r.stepId, r.error.kind])).toEqual([
      ['scale-too-big', 'invalid-input'],
      ['promote', 'precondition-failed'],
    ]);
    expect(Object.fromEntries(run.steps.map((s) => [s.stepId, s.status]))).toEqual({
      'scale-ok': 'skipped',
      'scale-too-big': 'failed',
      promote: 'failed',
    });
    expect(w.calls({ mutating: true })).toEqual([]);
    expect(w.callCounts({ operation: ['ensureSize', 'ensureWriter'] })).toEqual({});
    expect(w.pool(pool).state().desired).toBe(2);
  });

  it('precheck: false runs as before (the first valid step changes, the refused one fails)', async () => {
    const w = world();
    const run = (
      await runPlan(plan(), {
        providers: { db: w.databaseFailover(), k8s: w.clusterScaler() },
        time: w.time,
        precheck: false,
        rollbackOnFailure: false,
      })
    )._unsafeUnwrap();
    expect(run.status).toBe('failed');
    expect(run.refusals).toBeUndefined();
    expect(w.callCounts({ mutating: true })).toEqual({ ensureSize: 1 });
  });
});
