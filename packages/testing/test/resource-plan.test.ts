import {
  check,
  createMemoryJournal,
  definePlan,
  type ExecutorEvent,
  type FailoverPlan,
  type JournalEntry,
  type PlanStep,
  renderReportMarkdown,
  resource,
  runPlan,
  verify,
} from '@failover/core';
import { describe, expect, it } from 'vitest';
import { createSimulatedWorld, type SimulatedWorld } from '../src/index.js';

// The open kind through the real executor on the simulator: journal, resume, dry-run diffs,
// rollback (and its hold for an irreversible step), report, events and API-call counts, with
// nothing in the executor specific to the resources below.

const flag = { service: 'flags', flag: 'checkout-region' };
const backups = { service: 'backups', schedule: 'daily' };
const restore = { service: 'restores', name: 'orders' };
const hour = 3_600_000;

function world(seed = 1): SimulatedWorld {
  const w = createSimulatedWorld({ seed });
  const now = w.time.now();
  return w.seed({
    regions: ['us-east-1', 'eu-west-1'],
    resources: [
      { ref: flag, state: { value: 'us-east-1', owner: 'payments' }, immutable: ['owner'] },
      // The latest backup finished 20 minutes ago.
      { ref: backups, state: { latest: { phase: 'Completed', completedAt: now - 20 * 60_000 } } },
      { ref: restore, state: { phase: 'None' } },
    ],
  });
}

const flagStep = (options: { dependsOn?: string[]; reversible?: boolean } = {}) =>
  resource.ensure('flag', { provider: 'flags', resource: flag, desired: { value: 'eu-west-1' } }, options);

function plan(steps: PlanStep[], rpoMs = hour): FailoverPlan {
  const built = definePlan({
    id: 'open-kind',
    name: 'open kind',
    sourceRegion: 'us-east-1',
    targetRegion: 'eu-west-1',
    objectives: { rpoMs },
  })
    .step(...steps)
    .build();
  return built._unsafeUnwrap();
}

const fresh = check.resource('backup-fresh', {
  provider: 'flags',
  resource: backups,
  condition: { path: 'latest.completedAt', withinRpo: true },
});

function options(
  w: SimulatedWorld,
  extra: Parameters<typeof runPlan>[1] extends infer O ? Partial<O> : never = {},
) {
  return { providers: { flags: w.resourceProvider('sim.flags') }, time: w.time, ...extra };
}

describe('resource steps through the executor (simulator)', () => {
  it('checks, ensures, waits: journaled with before and handle, reported with events and API-call counts', async () => {
    const w = world();
    const journal = createMemoryJournal();
    const events: ExecutorEvent[] = [];
    const run = (
      await runPlan(
        plan([fresh, flagStep({ dependsOn: ['backup-fresh'] })]),
        options(w, { journal, onEvent: (event) => events.push(event) }),
      )
    )._unsafeUnwrap();

    expect(run.status).toBe('succeeded');
    expect(w.resource(flag).state()).toEqual({ value: 'eu-west-1', owner: 'payments' });
    // The plan's RPO (1 h) reached the provider's check: the 20-minute-old backup passes.
    expect(w.calls({ operation: 'checkResource' })).toHaveLength(1);

    const intent = journal.entries.find(
      (e): e is Extract<JournalEntry, { type: 'step-intent' }> => e.type === 'step-intent',
    );
    expect(intent).toMatchObject({
      stepId: 'flag',
      operation: 'ensureResource',
      before: { value: 'us-east-1' },
    });
    const handle = journal.entries.find((e) => e.type === 'step-handle');
    expect(handle).toMatchObject({
      stepId: 'flag',
      changed: true,
      handle: { provider: 'sim.flags', id: 'resource-update-1' },
    });
    const end = journal.entries.find((e) => e.type === 'step-end' && e.stepId === 'flag');
    expect(end).toMatchObject({
      status: 'succeeded',
      undo: { before: { value: 'us-east-1', owner: 'payments' } },
    });

    const waits = events.filter((e) => e.type === 'step-wait');
    expect(waits).toEqual([
      expect.objectContaining({
        stepId: 'flag',
        handle: expect.objectContaining({ id: 'resource-update-1' }),
      }),
    ]);
    const step = run.report.steps.find((s) => s.id === 'flag')!;
    expect(step).toMatchObject({ status: 'succeeded', changed: true });
    // observeResource and precheckResource (observations), ensure, wait; and the API requests the
    // simulated provider reported through onApiCall.
    expect(step.calls).toMatchObject({ observe: 2, mutate: 1, wait: 1, mutatingApiCalls: 1 });
    expect(step.calls.apiCalls).toBeGreaterThanOrEqual(3);
    expect(run.report.apiCalls.total.mutatingApiCalls).toBe(1);
    expect(renderReportMarkdown(run.report)).toContain('flag');
  });

  it('a check past the plan RPO fails the run before any change', async () => {
    const w = world();
    const run = (
      await runPlan(plan([fresh, flagStep({ dependsOn: ['backup-fresh'] })], 10 * 60_000), options(w))
    )._unsafeUnwrap();
    expect(run.status).not.toBe('succeeded');
    expect(run.steps.find((s) => s.stepId === 'backup-fresh')?.status).toBe('failed');
    expect(w.calls({ mutating: true })).toEqual([]);
  });

  it('a dry-run shows the field diff and the pre-check refusal, and mutates nothing', async () => {
    const w = world();
    const refused = resource.ensure('owner', {
      provider: 'flags',
      resource: flag,
      desired: { owner: 'ops' },
    });
    const run = (await runPlan(plan([flagStep(), refused]), options(w, { dryRun: true })))._unsafeUnwrap();
    expect(run.diffs?.flag ?? run.steps[0]?.diff).toEqual({
      type: 'resource',
      wouldChange: true,
      differences: [{ path: 'value', from: 'us-east-1', to: 'eu-west-1' }],
    });
    expect(run.refusals?.map((r) => [r.stepId, r.error.kind])).toEqual([['owner', 'precondition-failed']]);
    expect(w.calls({ mutating: true })).toEqual([]);
    expect(w.resource(flag).state()).toEqual({ value: 'us-east-1', owner: 'payments' });

    // The run asks the same pre-check first and refuses before its first mutating call.
    const real = (await runPlan(plan([flagStep(), refused]), options(w)))._unsafeUnwrap();
    expect(real.status).toBe('failed');
    expect(real.error?.kind).toBe('precondition-failed');
    expect(w.calls({ mutating: true })).toEqual([]);
  });

  it('an ensure applied but whose answer was lost is waited on, not sent again', async () => {
    const w = world();
    w.faults.schedule({ operation: 'ensureResource', fault: { kind: 'lost-answer' } });
    const run = (await runPlan(plan([flagStep()]), options(w)))._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(w.calls({ operation: 'ensureResource', mutating: true })).toHaveLength(1);
    expect(w.resource(flag).state().value).toBe('eu-west-1');
  });

  it('resumes after a crash while waiting: waits on the journaled handle, no second ensure', async () => {
    const w = world();
    const first = createMemoryJournal();
    const crash = new AbortController();
    await runPlan(
      plan([flagStep()]),
      options(w, {
        journal: first,
        runId: 'run-1',
        abortSignal: crash.signal,
        onEvent: (event) => event.type === 'step-wait' && crash.abort(),
      }),
    );
    // What a dead process leaves: the entries up to the step's handle, no end, no lock.
    const upToHandle = first.entries.findIndex((e) => e.type === 'step-handle') + 1;
    expect(upToHandle).toBeGreaterThan(0);
    const journal = createMemoryJournal(first.entries.slice(0, upToHandle));

    const resumed = (
      await runPlan(plan([flagStep()]), options(w, { journal, runId: 'run-2' }))
    )._unsafeUnwrap();
    expect(resumed.status).toBe('succeeded');
    expect(resumed.resumedFrom).toBe('run-1');
    expect(w.calls({ operation: 'ensureResource' })).toHaveLength(1);
    const waits = w.calls({ operation: 'waitForResource' });
    expect(waits.at(-1)!.args[0]).toMatchObject({ id: 'resource-update-1' });
    // The resumed step still knows what to restore.
    expect(resumed.steps[0]).toMatchObject({ changed: true, undo: { before: { value: 'us-east-1' } } });
  });

  it('a later failure undoes the step from before (restoreOf default: before)', async () => {
    const w = world();
    const events: ExecutorEvent[] = [];
    const failing = verify(
      'never',
      {
        type: 'resource',
        provider: 'flags',
        resource: backups,
        condition: { path: 'latest.phase', equals: 'Failed' },
      },
      { timeoutMs: 60_000, intervalMs: 10_000, dependsOn: ['flag'] },
    );
    const run = (
      await runPlan(plan([flagStep(), failing]), options(w, { onEvent: (e) => events.push(e) }))
    )._unsafeUnwrap();
    expect(run.status).toBe('rolled-back');
    expect(w.resource(flag).state()).toEqual({ value: 'us-east-1', owner: 'payments' });
    expect(events.filter((e) => e.type === 'rollback-step')).toEqual([
      expect.objectContaining({ stepId: 'flag', status: 'rolled-back' }),
    ]);
    expect(run.report.steps.find((s) => s.id === 'flag')?.rollback?.status).toBe('rolled-back');
  });

  it('rollback holds for an irreversible resource step: what it stands on stays, and it stays done', async () => {
    const w = world();
    const restoreStep = resource.ensure(
      'restore',
      { provider: 'flags', resource: restore, desired: { phase: 'Completed' } },
      { reversible: false, dependsOn: ['flag'] },
    );
    const failing = resource.ensure(
      'missing',
      { provider: 'flags', resource: { service: 'flags', flag: 'nope' }, desired: { value: 'x' } },
      { dependsOn: ['restore'] },
    );
    const run = (await runPlan(plan([flagStep(), restoreStep, failing]), options(w)))._unsafeUnwrap();
    expect(run.status).toBe('failed');
    expect(run.partialFailover?.irreversible).toEqual(['restore']);
    expect(run.partialFailover?.kept.map((k) => k.stepId)).toEqual(['flag']);
    expect(w.resource(restore).state()).toEqual({ phase: 'Completed' });
    expect(w.resource(flag).state().value).toBe('eu-west-1');
  });
});
