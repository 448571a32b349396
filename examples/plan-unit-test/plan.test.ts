import {
  approveSteps,
  createVirtualTime,
  type DnsRecordSet,
  type ExecutorEvent,
  FailoverError,
  type FailoverPlan,
  type RunOptions,
  runPlan,
  validatePlan,
  writerRegion,
} from '@failover/core';
import {
  createPrng,
  mockClusterScaler,
  mockDatabaseFailover,
  mockDnsProvider,
  type SimulatedWorld,
} from '@failover/testing';
import { describe, expect, it } from 'vitest';
import { checkout, checkoutFailover } from './checkout-failover-plan.js';
import { checkoutWorld, simulatedProviders } from './checkout-world.js';

const planned = (): FailoverPlan => checkoutFailover('planned').build()._unsafeUnwrap();
const forced = (): FailoverPlan => checkoutFailover('forced').build()._unsafeUnwrap();

/** A fresh world, and run options bound to it: its virtual clock, seeded jitter, a recording notifier. */
function setUp(seed = 7) {
  const world = checkoutWorld(seed, createVirtualTime());
  const events: ExecutorEvent[] = [];
  const notified: string[] = [];
  const options: RunOptions = {
    providers: simulatedProviders(world),
    time: world.time,
    random: createPrng(seed).next,
    onEvent: (event) => events.push(event),
    notifier: async ({ channel, message }) => {
      notified.push(`${channel}: ${message}`);
    },
  };
  return { world, events, notified, options };
}

const activeTarget = (world: SimulatedWorld) =>
  world.recordSet(checkout.record)!.targets.find((target) => target.priority === 1 && target.enabled)?.id;

describe('the checkout failover plan', () => {
  it('is valid, binds to providers of the right kinds, and orders pre-flight before any change', () => {
    const { options } = setUp();
    const validated = validatePlan(planned(), { providers: options.providers })._unsafeUnwrap();
    expect(validated.notices).toEqual([]);
    const order = validated.order;
    const before = (a: string, b: string) => expect(order.indexOf(a)).toBeLessThan(order.indexOf(b));
    for (const preflight of ['writer-in-east', 'ttl-low', 'standby-up']) {
      before(preflight, 'drain-east');
      before(preflight, 'scale-standby');
    }
    before('drain-east', 'promote');
    before('promote', 'switch-dns');
    before('scale-standby', 'switch-dns');
  });

  it('the forced variant passes validation only with its approval before the promotion', () => {
    const { options } = setUp();
    expect(validatePlan(forced(), { providers: options.providers }).isOk()).toBe(true);

    // The same plan with the approval taken out (and promote depending on the fence directly).
    const plan = forced();
    const withoutApproval: FailoverPlan = {
      ...plan,
      steps: plan.steps
        .filter((step) => step.id !== 'approve-data-loss')
        .map((step) => (step.id === 'promote' ? { ...step, dependsOn: ['drain-east'] } : step)),
    };
    const problems = validatePlan(withoutApproval)._unsafeUnwrapErr().problems;
    expect(problems.map((problem) => problem.code)).toEqual(['forced-without-approval']);
  });

  it('dry-runs without a single mutating call and shows what it would change', async () => {
    const { world, options } = setUp();
    const before = world.snapshot();
    const result = (await runPlan(planned(), { ...options, dryRun: true }))._unsafeUnwrap();

    expect(result.status).toBe('succeeded');
    expect(world.calls({ mutating: true })).toEqual([]);
    expect(world.snapshot()).toEqual(before);
    expect(result.diffs?.promote).toMatchObject({
      type: 'database',
      wouldChange: true,
      writerRegion: { from: 'us-east-1', to: 'us-west-2' },
    });
    expect(result.diffs?.['scale-standby']).toMatchObject({
      type: 'scale',
      wouldChange: true,
      desired: { from: 2, to: 6 },
    });
    expect(result.diffs?.['switch-dns']).toMatchObject({ type: 'dns', wouldChange: true });
    expect(result.diffs?.['ttl-low']).toMatchObject({ type: 'check', passed: true });
  });

  it('runs: traffic, writer and capacity end up in us-west-2 within the RTO objective', async () => {
    const { world, options, notified } = setUp();
    const result = (await runPlan(planned(), options))._unsafeUnwrap();

    expect(result.status).toBe('succeeded');
    expect(activeTarget(world)).toBe('us-west-2');
    expect(world.recordSet(checkout.record)!.targets.find((t) => t.id === 'us-east-1')?.enabled).toBe(false);
    expect(writerRegion(world.database(checkout.database.id).topology())).toBe('us-west-2');
    expect(world.database(checkout.database.id).failovers()).toMatchObject([
      { mode: 'planned', dataLossMs: 0 },
    ]);
    expect(world.pool(checkout.standbyPool).state()).toMatchObject({ desired: 6, min: 3, max: 12, ready: 6 });
    expect(world.callCounts({ mutating: true })).toEqual({
      ensureRecordSet: 2,
      ensureWriter: 1,
      ensureSize: 1,
    });
    expect(notified).toEqual(['slack:#checkout-oncall: Checkout now serves from us-west-2.']);

    // RTO: from the start to the verification of the DNS switch, against the 15-minute objective.
    const { rto } = result.report;
    expect(rto).toMatchObject({ objectiveMs: 15 * 60_000, met: true, measuredTo: 'serving-from-west' });
    // The switch started only once both the promotion and the scale-up were done, and the RTO ends
    // when its change was in sync and verified (one poll of the verify step at most later).
    const [switchover, scaleUp, dnsSwitch] = ['database-switchover', 'pool-update', 'dns-change'].map(
      (type) =>
        world
          .operations()
          .filter((operation) => operation.type === type)
          .at(-1)!,
    );
    expect(dnsSwitch!.startedAt).toBeGreaterThanOrEqual(
      Math.max(switchover!.completesAt!, scaleUp!.completesAt!),
    );
    const inSync = dnsSwitch!.completesAt! - result.startedAt;
    expect(rto.achievedMs).toBeGreaterThanOrEqual(inSync);
    expect(rto.achievedMs).toBeLessThanOrEqual(inSync + 10_000);
  });

  it('run twice, the second run stops at pre-flight (the writer has moved) and changes nothing', async () => {
    const { world, options } = setUp();
    (await runPlan(planned(), options))._unsafeUnwrap();
    const mutating = world.calls({ mutating: true }).length;
    // writer-in-east now fails: the plan refuses to run twice, which is what its first check is for.
    const again = (await runPlan(planned(), options))._unsafeUnwrap();
    expect(again.status).toBe('failed');
    expect(again.steps.find((step) => step.stepId === 'writer-in-east')?.status).toBe('failed');
    expect(world.calls({ mutating: true })).toHaveLength(mutating);
  });

  it('refuses to fail over into a dark region: pre-flight fails and nothing is touched', async () => {
    const { world, options } = setUp();
    world.regions.darken('us-west-2');
    const before = world.snapshot();
    const result = (await runPlan(planned(), options))._unsafeUnwrap();

    expect(result.status).toBe('failed');
    // The promotion's pre-check refuses it before the run starts (no available member in the
    // dark region), so not even the pre-flight checks run.
    expect(result.refusals?.map((refusal) => [refusal.stepId, refusal.error.kind])).toContainEqual([
      'promote',
      'precondition-failed',
    ]);
    const status = Object.fromEntries(result.steps.map((step) => [step.stepId, step.status]));
    expect(status['standby-up']).toBe('skipped');
    expect(status['drain-east']).toBe('skipped');
    expect(status.promote).toBe('failed');
    expect(world.calls({ mutating: true })).toEqual([]);
    expect(world.snapshot()).toEqual(before);
    expect(result.report.rto).toMatchObject({ achievedMs: null, met: false });
  });

  it('rolls the fence and the scale-up back when the promotion fails', async () => {
    const { world, options } = setUp();
    const before = world.snapshot();
    world.faults.schedule({
      operation: 'ensureWriter',
      fault: { kind: 'error', error: 'precondition-failed', message: 'The replica is not in sync.' },
    });
    const result = (await runPlan(planned(), options))._unsafeUnwrap();

    expect(result.status).toBe('rolled-back');
    expect(result.error).toMatchObject({ kind: 'precondition-failed', provider: 'sim.database' });
    expect(result.rollback?.status).toBe('rolled-back');
    expect(result.rollback?.steps.map((step) => step.stepId).sort()).toEqual(['drain-east', 'scale-standby']);
    // Back where it started: DNS on us-east-1 (enabled again), the pool at its old size.
    expect(world.snapshot()).toEqual(before);
    expect(activeTarget(world)).toBe('us-east-1');
  });

  it('stops before the forced promotion when nobody approves, and undoes the fence', async () => {
    const { world, options, events } = setUp();
    const result = (await runPlan(forced(), options))._unsafeUnwrap(); // default approver: deny all

    expect(result.status).toBe('rolled-back');
    expect(events).toContainEqual(expect.objectContaining({ type: 'approval-decision', approved: false }));
    expect(world.callCounts({ mutating: true }).ensureWriter).toBeUndefined();
    expect(writerRegion(world.database(checkout.database.id).topology())).toBe('us-east-1');
    expect(activeTarget(world)).toBe('us-east-1');

    // Approved, the same plan promotes with data loss, as the simulator records.
    const approvedRun = setUp();
    const approved = (
      await runPlan(forced(), { ...approvedRun.options, approver: approveSteps(['approve-data-loss']) })
    )._unsafeUnwrap();
    expect(approved.status).toBe('succeeded');
    expect(approvedRun.world.database(checkout.database.id).failovers()).toMatchObject([{ mode: 'forced' }]);
  });
});

describe('the checkout failover plan, on mocks for exact control', () => {
  it('retries a throttled DNS switch after the Retry-After the service asked for', async () => {
    // Just enough state behind the mocks for the plan to make sense, and exact answers where it matters.
    let record: DnsRecordSet = {
      name: checkout.record.name,
      type: 'A',
      ttl: 60,
      routing: 'failover',
      targets: [
        { id: 'us-east-1', values: ['198.51.100.7'], priority: 1, enabled: true },
        { id: 'us-west-2', values: ['203.0.113.7'], priority: 2, enabled: true },
      ],
    };
    let writer = 'us-east-1';
    const handle = { provider: 'mock', operation: 'change', startedAt: 0 };
    const topology = () => ({
      id: checkout.database.id,
      failoverInProgress: false,
      members: ['us-east-1', 'us-west-2'].map((region) => ({
        id: `db-${region}`,
        region,
        role: region === writer ? ('writer' as const) : ('reader' as const),
        status: 'available' as const,
      })),
    });
    const pool = { ...checkout.standbyPool, desired: 2, min: 2, max: 12, ready: 2, autoscaling: false };
    const throttled = new FailoverError({
      kind: 'throttled',
      message: 'Rate exceeded',
      provider: 'mock.dns',
      operation: 'ensureRecordSet',
      retryAfterMs: 45_000,
    });

    const dnsMock = mockDnsProvider({
      getRecordSet: () => record,
      ensureRecordSet: [
        (_ref, desired) => {
          const before = record;
          record = desired;
          return { before, changed: true, handle };
        }, // the fence
        throttled, // the first try of the switch
        (_ref, desired) => {
          const before = record;
          record = desired;
          return { before, changed: true, handle };
        },
      ],
      waitForChange: undefined,
    });
    const dbMock = mockDatabaseFailover({
      describe: () => topology(),
      ensureWriter: (_ref, desired) => {
        const before = topology();
        writer = desired.region;
        return { before, changed: true, handle };
      },
      waitForWriter: () => topology(),
    });
    const k8sMock = mockClusterScaler({
      describePool: () => ({ ...pool, status: 'ready' as const }),
      ensureSize: (_ref, desired) => {
        const before = { ...pool, status: 'ready' as const };
        Object.assign(pool, desired, { ready: desired.desired ?? pool.ready });
        return { before, changed: true, handle };
      },
      waitForPool: () => ({ ...pool, status: 'ready' as const }),
    });

    const events: ExecutorEvent[] = [];
    const result = (
      await runPlan(planned(), {
        providers: { dns: dnsMock, db: dbMock, k8s: k8sMock },
        time: createVirtualTime(),
        random: () => 0, // no jitter: the delay is exactly the service's Retry-After
        onEvent: (event) => events.push(event),
        notifier: async () => {}, // the plan's notify step needs one bound
      })
    )._unsafeUnwrap();

    expect(result.status).toBe('succeeded');
    // Throttling is retried inside the step's attempt, within its deadline: no step retry.
    expect(events.filter((event) => event.type === 'step-retry')).toEqual([]);
    const switched = result.steps.find((step) => step.stepId === 'switch-dns')!;
    expect(switched).toMatchObject({ attempts: 1, changed: true });
    expect(dnsMock.callCount('ensureRecordSet')).toBe(3);
    // The switch was sent again only after the 45 s the service asked for.
    expect(switched.durationMs).toBeGreaterThanOrEqual(45_000);
    expect(dbMock.callCount('ensureWriter')).toBe(1);
    expect(k8sMock.calls.find((call) => call.operation === 'ensureSize')?.args[1]).toEqual({
      desired: 6,
      min: 3,
      max: 12,
    });
  });
});
