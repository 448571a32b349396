import { describe, expect, it } from 'vitest';
import { FailoverError } from '../errors/failover-error.js';
import type { FailoverPlan } from '../plan/failover-plan.js';
import type { PlanStep } from '../plan/step.js';
import type { ReplicationLagObservation } from '../providers/database/replication-lag.js';
import { errAsync, okAsync } from '../result.js';
import { createVirtualTime } from '../time/virtual-time.js';
import type { ApprovalRequest } from './approver.js';
import { runPlan } from './run-plan.js';
import {
  fakeDatabase,
  fakeDns,
  mutatingCalls,
  twoRegionDatabase,
  weightedRecord,
} from './test-support/fake-providers.js';
import { eventLog } from './test-support/test-plans.js';

const record = { zone: 'Z1', name: 'api.example.com.' };
// 2026-01-01T09:41:07Z: the virtual clock's start plus 9h 41m 07s.
const sampledAt = Date.UTC(2026, 0, 1, 9, 41, 7);

/** Fence, approve, a step between, then promote `orders` to eu-west-1 with data loss. */
function forcedPlan(
  options: { rpoMs?: number; accept?: boolean; approvalTimeoutMs?: number } = {},
): FailoverPlan {
  const steps: PlanStep[] = [
    {
      id: 'fence',
      kind: 'action',
      fence: true,
      action: { type: 'dns', provider: 'dns', record, desired: { targets: { primary: { weight: 0 } } } },
    },
    {
      id: 'approve',
      kind: 'approval',
      message: 'Lose data?',
      timeoutMs: options.approvalTimeoutMs ?? 10 * 60_000,
      dependsOn: ['fence'],
    },
    // The forced step waits on the approval through this one: the gate is found transitively.
    { id: 'settle', kind: 'wait', durationMs: 1_000, dependsOn: ['approve'] },
    {
      id: 'promote',
      kind: 'action',
      dependsOn: ['settle'],
      action: {
        type: 'database',
        provider: 'db',
        database: { id: 'orders' },
        region: 'eu-west-1',
        mode: 'forced',
        frontedBy: [record.name],
        ...(options.accept && { acceptDataLossBeyondRpo: true }),
      },
    },
  ];
  return {
    version: 1,
    id: 'approve-data-loss',
    name: 'Approve data loss',
    sourceRegion: 'us-east-1',
    targetRegion: 'eu-west-1',
    ...(options.rpoMs !== undefined && { objectives: { rpoMs: options.rpoMs } }),
    steps,
  };
}

/** A world whose lag reader answers each call with the next of `lags` (the last one repeats). */
function world(options: { lags?: number[]; topologyLagMs?: number; noReader?: boolean } = {}) {
  const time = createVirtualTime();
  const topology = twoRegionDatabase('orders', 'us-east-1', 'eu-west-1');
  if (options.topologyLagMs === undefined) delete topology.members[1]!.replicationLagMs;
  else topology.members[1]!.replicationLagMs = options.topologyLagMs;
  const db = fakeDatabase(time, [topology]);
  const lags = [...(options.lags ?? [])];
  let lagReads = 0;
  const reader = {
    observeReplicationLag: () => {
      lagReads++;
      const lagMs = lags.length > 1 ? lags.shift()! : lags[0];
      const observation: ReplicationLagObservation = {
        specificationVersion: 'v1',
        databaseId: 'orders',
        observedAt: time.now(),
        samples:
          lagMs === undefined
            ? []
            : [{ memberId: 'orders-eu-west-1', region: 'eu-west-1', lagMs, sampledAt }],
      };
      return okAsync(observation);
    },
  };
  const dns = fakeDns(time, [{ ...weightedRecord(record.name), name: record.name }]);
  return {
    time,
    db,
    lagReads: () => lagReads,
    providers: { db: options.noReader ? db : { ...db, ...reader }, dns },
  };
}

/** Approves `approve`, keeping every request it is asked. */
function recordingApprover() {
  const requests: Omit<ApprovalRequest, 'abortSignal'>[] = [];
  return {
    requests,
    approver: async ({ abortSignal: _signal, ...request }: ApprovalRequest) => {
      requests.push(request);
      return { approved: true as const, by: 'alice' };
    },
  };
}

describe('an approval gating a forced promotion shows its data-loss window', () => {
  it('carries the lag the adapter reports, in the request, the event and one line per database', async () => {
    const { time, providers, lagReads } = world({ lags: [800], topologyLagMs: 999_999 });
    const { requests, approver } = recordingApprover();
    const log = eventLog();
    const run = (
      await runPlan(forcedPlan({ rpoMs: 5_000 }), { providers, time, approver, onEvent: log.onEvent })
    )._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    const expected = {
      database: 'orders',
      stepId: 'promote',
      lagMs: 800,
      observedAt: sampledAt,
      rpoMs: 5_000,
      summary:
        'orders: forced promotion loses up to 800 ms of writes (lag observed 09:41:07Z; RPO 5 s: within it)',
    };
    expect(requests).toEqual([
      {
        planId: 'approve-data-loss',
        stepId: 'approve',
        message: 'Lose data?',
        timeoutMs: 600_000,
        dataLoss: [expected],
      },
    ]);
    expect(log.ofType('approval-request')[0]?.dataLoss).toEqual([expected]);
    // The approval's reads are counted as its observations; the forced step reads the lag again.
    const approve = run.steps.find((step) => step.stepId === 'approve')!;
    expect(approve.calls.total).toMatchObject({ observe: 2, mutate: 0 });
    expect(lagReads()).toBe(2);
  });

  it('says when the lag is beyond the RPO, and the forced step decides on the fresh value it reads', async () => {
    // 12 s when asked; 400 ms by the time the promotion runs: it goes ahead.
    const { time, db, providers } = world({ lags: [12_000, 400] });
    const { requests, approver } = recordingApprover();
    const run = (await runPlan(forcedPlan({ rpoMs: 5_000 }), { providers, time, approver }))._unsafeUnwrap();
    expect(requests[0]?.dataLoss?.[0]?.summary).toBe(
      'orders: forced promotion loses up to 12 s of writes (lag observed 09:41:07Z; RPO 5 s: beyond it, so the step will refuse unless the lag falls)',
    );
    expect(run.status).toBe('succeeded');
    expect(run.steps.find((step) => step.stepId === 'promote')?.evidence).toMatchObject({ lagMs: 400 });
    expect(mutatingCalls(db)).toEqual(['ensureWriter']);
  });

  it('and the other way: a lag within the RPO when asked but beyond it at the promotion is refused then', async () => {
    const { time, db, providers } = world({ lags: [400, 12_000] });
    const { requests, approver } = recordingApprover();
    const run = (await runPlan(forcedPlan({ rpoMs: 5_000 }), { providers, time, approver }))._unsafeUnwrap();
    expect(requests[0]?.dataLoss?.[0]).toMatchObject({ lagMs: 400 });
    expect(run.steps.find((step) => step.stepId === 'promote')?.error?.kind).toBe('precondition-failed');
    expect(mutatingCalls(db)).toEqual([]);
  });

  it('says the step accepts data loss beyond the RPO when it does', async () => {
    const { time, providers } = world({ lags: [12_000] });
    const { requests, approver } = recordingApprover();
    await runPlan(forcedPlan({ rpoMs: 5_000, accept: true }), { providers, time, approver });
    expect(requests[0]?.dataLoss?.[0]?.summary).toContain('RPO 5 s: beyond it, accepted by the step');
  });

  it('shows an unknown lag when the adapter has no lag reader and the topology reports none', async () => {
    const { time, providers } = world({ noReader: true });
    const { requests, approver } = recordingApprover();
    const run = (await runPlan(forcedPlan(), { providers, time, approver }))._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    const [entry] = requests[0]?.dataLoss ?? [];
    expect(entry).not.toHaveProperty('lagMs');
    expect(entry).not.toHaveProperty('rpoMs');
    expect(entry?.summary).toBe(
      'orders: replication lag UNKNOWN — the data-loss window cannot be bounded (the adapter reads no replication lag and the topology reports none)',
    );
  });

  it('shows an unknown lag when the reader has no sample for the target region', async () => {
    const { time, providers } = world({ lags: [] });
    const { requests, approver } = recordingApprover();
    await runPlan(forcedPlan(), { providers, time, approver });
    expect(requests[0]?.dataLoss?.[0]?.unknownReason).toBe(
      'no lag sample for eu-west-1 and the topology reports none',
    );
    expect(requests[0]?.dataLoss?.[0]?.summary).toContain('replication lag UNKNOWN');
  });

  it('falls back to the lag the topology carries, as the forced step does', async () => {
    const { time, providers } = world({ noReader: true, topologyLagMs: 1_500 });
    const { requests, approver } = recordingApprover();
    await runPlan(forcedPlan(), { providers, time, approver });
    expect(requests[0]?.dataLoss?.[0]).toMatchObject({ lagMs: 1_500 });
    expect(requests[0]?.dataLoss?.[0]?.summary).toContain('loses up to 2 s of writes');
  });

  it('shows a failed read as unknown with its reason, and still asks', async () => {
    const { time, db, providers } = world();
    const failing = {
      ...providers,
      db: {
        ...providers.db,
        observeReplicationLag: () =>
          errAsync(
            new FailoverError({
              kind: 'unauthorized',
              message: 'CloudWatch refused GetMetricData',
              provider: 'fake.db',
              operation: 'observeReplicationLag',
            }),
          ),
      },
    };
    const { requests, approver } = recordingApprover();
    const run = (await runPlan(forcedPlan(), { providers: failing, time, approver }))._unsafeUnwrap();
    expect(requests).toHaveLength(1);
    expect(requests[0]?.dataLoss?.[0]?.summary).toBe(
      'orders: replication lag UNKNOWN — the data-loss window cannot be bounded (reading it failed: CloudWatch refused GetMetricData)',
    );
    expect(run.steps.find((step) => step.stepId === 'approve')?.warnings?.join(' ')).toContain(
      'could not be read',
    );
    expect(mutatingCalls(db)).toEqual(['ensureWriter']);
  });

  it('retries a throttled describe within its budget and still shows the window', async () => {
    const { time, db, providers } = world({ lags: [800] });
    db.fail('describe', {
      error: new FailoverError({
        kind: 'throttled',
        message: 'Rate exceeded',
        provider: 'fake.db',
        operation: 'describe',
      }),
    });
    const { requests, approver } = recordingApprover();
    const run = (await runPlan(forcedPlan(), { providers, time, approver }))._unsafeUnwrap();
    expect(requests[0]?.dataLoss?.[0]).toMatchObject({ lagMs: 800 });
    expect(requests[0]?.dataLoss?.[0]).not.toHaveProperty('unknownReason');
    // The approval's throttled describe and its retry, then the forced step's own.
    expect(db.log.filter((call) => call.method === 'describe')).toHaveLength(3);
    expect(mutatingCalls(db)).toEqual(['ensureWriter']);
    expect(run.status).toBe('succeeded');
  });

  it('asks within its observation budget when describe never answers', async () => {
    const { time, db, providers } = world({ lags: [800] });
    db.fail('describe', { hangs: true });
    let askedAfterMs: number | undefined;
    const startedAt = time.now();
    const { requests, approver } = recordingApprover();
    const run = (
      await runPlan(forcedPlan(), {
        providers,
        time,
        approver: (request) => {
          askedAfterMs = time.now() - startedAt;
          return approver(request);
        },
      })
    )._unsafeUnwrap();
    // 30 s: the budget's cap (a quarter of the 10-minute approval would be more).
    expect(askedAfterMs).toBe(30_000);
    expect(requests[0]?.dataLoss?.[0]?.summary).toBe(
      'orders: replication lag UNKNOWN — the data-loss window cannot be bounded (no answer within 30 s)',
    );
    // The forced step describes again on its own and promotes.
    expect(run.status).toBe('succeeded');
  });

  it('spends at most a quarter of a short approval reading, so the person keeps the rest', async () => {
    const { time, db, providers } = world({ lags: [800] });
    db.fail('describe', { hangs: true });
    let askedAfterMs: number | undefined;
    const startedAt = time.now();
    const { requests, approver } = recordingApprover();
    await runPlan(forcedPlan({ approvalTimeoutMs: 40_000 }), {
      providers,
      time,
      approver: (request) => {
        askedAfterMs = time.now() - startedAt;
        return approver(request);
      },
    });
    // A quarter of 40 s, under the 30 s cap.
    expect(askedAfterMs).toBe(10_000);
    expect(requests[0]?.dataLoss?.[0]?.summary).toBe(
      'orders: replication lag UNKNOWN — the data-loss window cannot be bounded (no answer within 10 s)',
    );
  });

  it('does not ask when the run is cancelled while it reads', async () => {
    const { time, db, providers } = world({ lags: [800] });
    const controller = new AbortController();
    // The approval's describe: the run is cancelled while it is in flight, and it never answers.
    db.fail('describe', { hangs: true });
    const cancelling = {
      ...providers,
      db: {
        ...providers.db,
        describe: (...args: Parameters<typeof db.describe>) => {
          controller.abort();
          return db.describe(...args);
        },
      },
    };
    const { requests, approver } = recordingApprover();
    const run = (
      await runPlan(forcedPlan(), { providers: cancelling, time, approver, abortSignal: controller.signal })
    )._unsafeUnwrap();
    expect(requests).toEqual([]);
    expect(run.steps.find((step) => step.stepId === 'approve')?.status).toBe('cancelled');
    expect(mutatingCalls(db)).toEqual([]);
  });

  it('says a database already promoted will lose nothing, and reads no lag for it', async () => {
    const { time, db, providers, lagReads } = world({ lags: [800] });
    db.topologies.set('orders', twoRegionDatabase('orders', 'eu-west-1', 'us-east-1'));
    const { requests, approver } = recordingApprover();
    await runPlan(forcedPlan(), { providers, time, approver });
    expect(requests[0]?.dataLoss).toEqual([
      {
        database: 'orders',
        stepId: 'promote',
        observedAt: expect.any(Number),
        inPlace: true,
        summary: 'orders: the writer is already in eu-west-1; the forced promotion will change nothing',
      },
    ]);
    expect(lagReads()).toBe(0);
  });

  it('carries nothing and makes no call when the approval gates no forced promotion', async () => {
    const { time, db, providers, lagReads } = world({ lags: [800] });
    const plan = forcedPlan();
    // The same plan with the promotion planned (no data loss): nothing to show.
    const planned: FailoverPlan = {
      ...plan,
      steps: plan.steps.map((step) =>
        step.kind === 'action' && step.action.type === 'database'
          ? { ...step, action: { ...step.action, mode: 'planned' } }
          : step,
      ),
    };
    const { requests, approver } = recordingApprover();
    const log = eventLog();
    const run = (await runPlan(planned, { providers, time, approver, onEvent: log.onEvent }))._unsafeUnwrap();
    expect(requests).toHaveLength(1);
    expect(requests[0]).not.toHaveProperty('dataLoss');
    expect(log.ofType('approval-request')[0]).not.toHaveProperty('dataLoss');
    expect(run.steps.find((step) => step.stepId === 'approve')?.calls.total.observe).toBe(0);
    // Only the planned step's own describe.
    expect(db.log.map((call) => call.method)).toEqual(['describe', 'ensureWriter', 'waitForWriter']);
    expect(lagReads()).toBe(0);
  });

  it('reads nothing in a dry-run (the approval does not ask)', async () => {
    const { time, db, providers, lagReads } = world({ lags: [800] });
    const { requests, approver } = recordingApprover();
    await runPlan(forcedPlan(), { providers, time, approver, dryRun: true });
    expect(requests).toEqual([]);
    // The forced step's own dry-run reads only.
    expect(db.log.map((call) => call.method)).toEqual(['describe']);
    expect(lagReads()).toBe(1);
  });
});
