import { describe, expect, it } from 'vitest';
import { createVirtualTime } from '../time/virtual-time.js';
import { approveSteps } from './approver.js';
import { runPlan } from './run-plan.js';
import { fakeDns, mutatingCalls, weightedRecord } from './test-support/fake-providers.js';
import { dnsSwitch, eventLog, testPlan } from './test-support/test-plans.js';

function setup() {
  const time = createVirtualTime();
  const dns = fakeDns(time, [weightedRecord('api.example.com')]);
  const plan = testPlan([
    { id: 'go', kind: 'approval', message: 'Fail over api.example.com?', timeoutMs: 15 * 60_000 },
    dnsSwitch('switch', 'api.example.com', { dependsOn: ['go'] }),
  ]);
  return { time, dns, plan, log: eventLog() };
}

describe('runPlan approvals', () => {
  it('denies by default: the run fails with precondition-failed and nothing changes', async () => {
    const { time, dns, plan, log } = setup();
    const run = (await runPlan(plan, { providers: { dns }, time, onEvent: log.onEvent }))._unsafeUnwrap();
    expect(run.status).toBe('failed');
    expect(run.steps.map((step) => step.status)).toEqual(['failed', 'skipped']);
    expect(run.error).toMatchObject({ kind: 'precondition-failed', operation: 'approval' });
    expect(run.error?.message).toBe('Approval go was denied: No approver was configured.');
    expect(log.ofType('approval-request')).toHaveLength(1);
    expect(log.ofType('approval-decision')[0]).toMatchObject({ stepId: 'go', approved: false });
    expect(dns.log).toEqual([]);
  });

  it('goes on when the approver approves', async () => {
    const { time, dns, plan, log } = setup();
    const run = (
      await runPlan(plan, {
        providers: { dns },
        time,
        approver: approveSteps(['go'], 'alice'),
        onEvent: log.onEvent,
      })
    )._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(log.ofType('approval-decision')[0]).toMatchObject({ approved: true, by: 'alice' });
    expect(mutatingCalls(dns)).toEqual(['ensureRecordSet']);
  });

  it('treats no answer within the timeout as a denial, and aborts the request', async () => {
    const { time, dns, plan, log } = setup();
    let requestSignal: AbortSignal | undefined;
    const run = (
      await runPlan(plan, {
        providers: { dns },
        time,
        onEvent: log.onEvent,
        approver: (request) => {
          requestSignal = request.abortSignal;
          return new Promise(() => {});
        },
      })
    )._unsafeUnwrap();
    expect(run.status).toBe('failed');
    expect(run.error?.kind).toBe('precondition-failed');
    expect(run.error?.message).toContain('no answer within 900000 ms');
    expect(run.endedAt - run.startedAt).toBe(15 * 60_000);
    expect(requestSignal?.aborted).toBe(true);
    expect(log.ofType('approval-decision')[0]).toMatchObject({
      approved: false,
      reason: 'no answer within 900000 ms',
    });
  });
});
