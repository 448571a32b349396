import { describe, expect, it } from 'vitest';
import { FailoverError } from '../errors/failover-error.js';
import type { ClusterScalerV1 } from '../providers/cluster/cluster-scaler-v1.js';
import { renderReportMarkdown } from '../report/render-report-markdown.js';
import { errAsync } from '../result.js';
import { createVirtualTime } from '../time/virtual-time.js';
import { createMemoryCapacityRecords } from './capacity-records.js';
import { runPlan } from './run-plan.js';
import { fakeCluster, mutatingCalls, nodePool } from './test-support/fake-providers.js';
import { testPlan } from './test-support/test-plans.js';

const prodPool = { cluster: 'prod', pool: 'general', region: 'us-east-1' };
const drPool = { cluster: 'dr', pool: 'general', region: 'eu-west-1' };
const plan = testPlan([
  {
    id: 'scale-dr',
    kind: 'action',
    action: {
      type: 'scale',
      provider: 'dr',
      pool: drPool,
      desired: { percentOf: { provider: 'prod', pool: prodPool }, percent: 50 },
    },
  },
]);

/** The source region is dark: every read of its pool fails as a dark region's API does. */
const darkProd = {
  ...fakeCluster(createVirtualTime(), []),
  describePool: () =>
    errAsync(
      new FailoverError({
        kind: 'unavailable',
        message: 'connect ECONNREFUSED',
        provider: 'fake',
        operation: 'describePool',
      }),
    ),
} as ClusterScalerV1;

describe('percent-of sizing when the source region is dark', () => {
  it('records the source capacity while it is readable, then sizes from the record and says so', async () => {
    const time = createVirtualTime();
    const capacity = createMemoryCapacityRecords();
    const prod = fakeCluster(time, [{ ...nodePool('prod', 'general', 12), region: 'us-east-1' }]);
    const dr = fakeCluster(time, [{ ...nodePool('dr', 'general', 2), region: 'eu-west-1' }]);
    // A dry-run while the source is up records its capacity.
    (await runPlan(plan, { providers: { prod, dr }, time, capacity, dryRun: true }))._unsafeUnwrap();
    expect(capacity.list()).toMatchObject([{ provider: 'prod', desired: 12, recordedBy: 'sizing scale-dr' }]);
    const recordedAt = capacity.list()[0]!.recordedAt;

    await time.advanceBy(3_600_000);
    const run = (await runPlan(plan, { providers: { prod: darkProd, dr }, time, capacity }))._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect([...dr.pools.values()][0]!.desired).toBe(6);
    expect(mutatingCalls(dr)).toEqual(['ensureSize']);
    expect(run.steps[0]!.evidence).toMatchObject({ type: 'recorded-capacity', nodes: 12, recordedAt });
    expect(run.steps[0]!.warnings?.[0]).toContain(`recorded at ${new Date(recordedAt).toISOString()}`);
    // The dark read got a bounded budget, not the step's whole deadline.
    expect(run.endedAt - run.startedAt).toBeLessThanOrEqual(30_000);
    expect(renderReportMarkdown(run.report)).toContain('sized 50 % of its capacity recorded at');
  });

  it('still fails when there is no record to fall back on', async () => {
    const time = createVirtualTime();
    const dr = fakeCluster(time, [{ ...nodePool('dr', 'general', 2), region: 'eu-west-1' }]);
    const run = (
      await runPlan(
        { ...plan, steps: [{ ...plan.steps[0]!, timeoutMs: 60_000 }] },
        { providers: { prod: darkProd, dr }, time, capacity: createMemoryCapacityRecords() },
      )
    )._unsafeUnwrap();
    expect(run.status).toBe('failed');
    expect(mutatingCalls(dr)).toEqual([]);
  });
});
