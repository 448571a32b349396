// The approver of the region-outage drill's forced promotion sees its data-loss window, read
// from the emulator by the real AWS clients (Aurora through RDS, the lag through CloudWatch)
// with us-east-1 dark: the lag when CloudWatch answers, UNKNOWN with the reason when it does not.
import { type ApprovalRequest, type ExecutorEvent, type FailoverPlan, runPlan } from '@failover/core';
import type { Emulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import regionOutagePlan from '../examples/region-outage/plan.js';
import { type RegionOutageWorld, regionOutageDarkWorld } from './support/region-outage-world.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

// The drill up to the promotion: what the approval gates is all this test is about.
const upToPromotion: FailoverPlan = {
  ...regionOutagePlan,
  steps: regionOutagePlan.steps.filter((step) =>
    ['secondary-lag', 'fence', 'approve-data-loss', 'promote-aurora'].includes(step.id),
  ),
};

async function runAsking(
  world: RegionOutageWorld,
  hooks: { onApprovalStart?: () => void; onAsk?: () => void } = {},
) {
  const requests: Omit<ApprovalRequest, 'abortSignal'>[] = [];
  const events: ExecutorEvent[] = [];
  const run = (
    await runPlan(upToPromotion, {
      providers: world.providers,
      time: world.emulator.clock,
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'step-start' && event.stepId === 'approve-data-loss') hooks.onApprovalStart?.();
      },
      approver: async ({ abortSignal: _signal, ...request }) => {
        requests.push(request);
        hooks.onAsk?.();
        return { approved: true, by: 'alice' };
      },
    })
  )._unsafeUnwrap();
  return { run, requests, events };
}

describe('the region-outage approval shows the data-loss window', { timeout: 60_000 }, () => {
  it('carries the lag CloudWatch reports for us-west-2, read before asking', async () => {
    const world = await regionOutageDarkWorld();
    emulator = world.emulator;
    const { run, requests, events } = await runAsking(world);
    expect(run.status).toBe('succeeded');
    expect(requests).toHaveLength(1);
    const [entry] = requests[0]!.dataLoss ?? [];
    expect(entry).toMatchObject({
      database: 'ecommerce-global',
      stepId: 'promote-aurora',
      lagMs: 40,
      rpoMs: 1_000,
    });
    expect(entry?.summary).toMatch(
      /^ecommerce-global: forced promotion loses up to 40 ms of writes \(lag observed \d\d:\d\d:\d\dZ; RPO 1 s: within it\)$/,
    );
    const asked = events.find((event) => event.type === 'approval-request');
    expect(asked).toMatchObject({ stepId: 'approve-data-loss', dataLoss: [entry] });
    // The reads are the approval's: real RDS and CloudWatch requests, none mutating.
    const approve = run.steps.find((step) => step.stepId === 'approve-data-loss')!;
    expect(approve.calls.total.observe).toBeGreaterThanOrEqual(2);
    expect(approve.calls.total.apiCalls).toBeGreaterThanOrEqual(2);
    expect(approve.calls.total.mutatingApiCalls).toBe(0);
  });

  it('shows the lag as UNKNOWN, with the reason, when CloudWatch fails; the promotion reads it again', async () => {
    const world = await regionOutageDarkWorld();
    emulator = world.emulator;
    // CloudWatch fails from the approval's start (the lag check before it has passed) until
    // the question is asked: the forced step then reads the lag afresh.
    let removeFault: (() => void) | undefined;
    const { run, requests } = await runAsking(world, {
      onApprovalStart: () => {
        removeFault = world.emulator.faults.add({ fault: 'server-error', service: 'aws.cloudwatch' });
      },
      onAsk: () => removeFault?.(),
    });
    const [entry] = requests[0]!.dataLoss ?? [];
    expect(entry).toMatchObject({ database: 'ecommerce-global', stepId: 'promote-aurora', rpoMs: 1_000 });
    expect(entry).not.toHaveProperty('lagMs');
    expect(entry?.summary).toMatch(
      /^ecommerce-global: replication lag UNKNOWN — the data-loss window cannot be bounded \(.+\)$/,
    );
    // The reason is the read's last error, the emulator's injected 500.
    expect(entry?.unknownReason).toMatch(/^reading it failed: GetMetricData failed: .*HTTP 500/);
    expect(run.status).toBe('succeeded');
    expect(run.steps.find((step) => step.stepId === 'promote-aurora')?.evidence).toMatchObject({
      type: 'data-loss-window',
      lagMs: 40,
    });
  });
});
