import { describe, expect, it } from 'vitest';
import { FailoverError } from '../errors/failover-error.js';
import { resource } from '../plan/plan-resource-factories.js';
import type { CallOptions } from '../providers/call-options.js';
import type { ResourceJson } from '../providers/resource/resource-json.js';
import { resourceDifferences } from '../providers/resource/resource-matches.js';
import type { ResourceProviderV1 } from '../providers/resource/resource-provider-v1.js';
import type { ResourceWaitOptions } from '../providers/resource/resource-wait-options.js';
import { errAsync, okAsync, ResultAsync } from '../result.js';
import { createVirtualTime } from '../time/virtual-time.js';
import { runPlan } from './run-plan.js';
import { testPlan } from './test-support/test-plans.js';

/**
 * A small in-memory provider of the open kind: one JSON state per ref, changes applied at
 * once and done after `updateMs`. It records what the executor passed it.
 */
function inMemory(state: ResourceJson, hooks: Partial<ResourceProviderV1> = {}) {
  const time = createVirtualTime();
  let current = structuredClone(state);
  let doneAt = 0;
  const seen: { ensure: CallOptions[]; desired: ResourceJson[]; wait: ResourceWaitOptions[] } = {
    ensure: [],
    desired: [],
    wait: [],
  };
  const provider: ResourceProviderV1 = {
    specificationVersion: 'v1',
    kind: 'resource',
    provider: 'test.memory',
    observeResource: () => okAsync(structuredClone(current)),
    ensureResource(_ref, desired, options = {}) {
      seen.ensure.push(options);
      seen.desired.push(desired);
      const before = structuredClone(current);
      if (resourceDifferences(desired, current).length === 0) return okAsync({ before, changed: false });
      current = { ...current, ...desired };
      doneAt = time.now() + 30_000;
      const handle = { provider: 'test.memory', operation: 'Update', id: 'u-1', startedAt: time.now() };
      return okAsync({ before, changed: true, handle });
    },
    waitForResource(_handle, options) {
      seen.wait.push(options);
      const settled = time.sleep(Math.max(0, doneAt - time.now()), options.abortSignal);
      return ResultAsync.fromSafePromise(settled).map(() => structuredClone(current));
    },
    ...hooks,
  };
  return { time, provider, seen, state: () => current };
}

const step = (
  desired: ResourceJson,
  extra: Parameters<typeof resource.ensure>[1] extends infer F ? Partial<F> : never = {},
) =>
  resource.ensure(
    'change',
    { provider: 'memory', resource: { name: 'x' }, desired, ...extra },
    { timeoutMs: 600_000 },
  );

describe('resource actions in the executor', () => {
  it('passes the step deadline, abort signal and waitUntil through, and skips the wait when told', async () => {
    const m = inMemory({ replicas: 2 });
    const run = (
      await runPlan(testPlan([step({ replicas: 6 }, { waitUntil: { minReady: 4 } })]), {
        providers: { memory: m.provider },
        time: m.time,
      })
    )._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    const [ensure] = m.seen.ensure;
    expect(ensure?.abortSignal).toBeInstanceOf(AbortSignal);
    expect(ensure?.deadlineAt).toBe(run.steps[0]!.startedAt! + 600_000);
    expect(m.seen.wait[0]).toMatchObject({ until: { minReady: 4 } });
    expect(m.seen.wait[0]!.timeoutMs).toBeGreaterThan(0);

    const n = inMemory({ replicas: 2 });
    await runPlan(testPlan([step({ replicas: 6 }, { waitForCompletion: false })]), {
      providers: { memory: n.provider },
      time: n.time,
    });
    expect(n.seen.wait).toEqual([]);
    expect(n.state()).toEqual({ replicas: 6 });
  });

  it("a dry-run diff is the provider's differences when it has them, else the differing fields", async () => {
    const plain = inMemory({ replicas: 2, status: { ready: 2 } });
    const dry = (
      await runPlan(testPlan([step({ replicas: 6 })]), {
        providers: { memory: plain.provider },
        time: plain.time,
        dryRun: true,
      })
    )._unsafeUnwrap();
    expect(dry.diffs?.change ?? dry.steps[0]?.diff).toEqual({
      type: 'resource',
      wouldChange: true,
      differences: [{ path: 'replicas', from: 2, to: 6 }],
    });

    const resolved = inMemory(
      { replicas: 2, sourceReplicas: 12 },
      {
        // 50 % of the source: the provider resolves it, the diff shows the number.
        matches: (desired, observed) =>
          observed.replicas ===
          Math.ceil(((desired.percentOfSource as number) * (observed.sourceReplicas as number)) / 100),
        differences: (_desired, observed) => [{ path: 'replicas', from: observed.replicas, to: 6 }],
      },
    );
    const shown = (
      await runPlan(testPlan([step({ percentOfSource: 50 })]), {
        providers: { memory: resolved.provider },
        time: resolved.time,
        dryRun: true,
      })
    )._unsafeUnwrap();
    expect((shown.diffs?.change ?? shown.steps[0]?.diff) as unknown).toMatchObject({
      wouldChange: true,
      differences: [{ path: 'replicas', from: 2, to: 6 }],
    });
  });

  it("the provider's matches decides: a match makes no call, a mismatch no field shows is a whole-state diff", async () => {
    const same = inMemory({ replicas: 2 }, { matches: () => true });
    const run = (
      await runPlan(testPlan([step({ replicas: 6 })]), {
        providers: { memory: same.provider },
        time: same.time,
      })
    )._unsafeUnwrap();
    expect(run.steps[0]).toMatchObject({ status: 'succeeded', changed: false });
    expect(same.seen.ensure).toEqual([]);

    const differs = inMemory({ replicas: 2 }, { matches: () => false });
    const dry = (
      await runPlan(testPlan([step({ replicas: 2 })]), {
        providers: { memory: differs.provider },
        time: differs.time,
        dryRun: true,
      })
    )._unsafeUnwrap();
    expect((dry.diffs?.change ?? dry.steps[0]?.diff) as unknown).toEqual({
      type: 'resource',
      wouldChange: true,
      differences: [{ path: '', from: { replicas: 2 }, to: { replicas: 2 } }],
    });
  });

  it('a throwing matches is an unexpected error of the provider, and nothing is changed', async () => {
    const broken = inMemory(
      { replicas: 2 },
      {
        matches: () => {
          throw new TypeError('boom');
        },
      },
    );
    const run = (
      await runPlan(testPlan([step({ replicas: 6 })], {}), {
        providers: { memory: broken.provider },
        time: broken.time,
        defaultRetry: { maxAttempts: 1 },
      })
    )._unsafeUnwrap();
    expect(run.status).toBe('failed');
    expect(run.steps[0]!.error).toMatchObject({
      kind: 'unexpected',
      provider: 'test.memory',
      operation: 'matches',
    });
    expect(broken.seen.ensure).toEqual([]);
  });

  it('an observed state that is not a JSON object is unexpected, before any mutating call', async () => {
    const odd = inMemory(
      { replicas: 2 },
      { observeResource: () => okAsync(null as unknown as ResourceJson) },
    );
    const run = (
      await runPlan(testPlan([step({ replicas: 6 })]), {
        providers: { memory: odd.provider },
        time: odd.time,
        defaultRetry: { maxAttempts: 1 },
      })
    )._unsafeUnwrap();
    expect(run.steps[0]!.error).toMatchObject({ kind: 'unexpected', operation: 'observeResource' });
    expect(odd.seen.ensure).toEqual([]);
  });

  it('rollback ensures restoreOf(before) when the provider has it', async () => {
    const restoring = inMemory(
      { replicas: 2, status: 'Running' },
      { restoreOf: (before) => ({ replicas: before.replicas }) },
    );
    const fails = resource.ensure(
      'fails',
      { provider: 'broken', resource: {}, desired: { a: 1 } },
      { dependsOn: ['change'] },
    );
    const broken: ResourceProviderV1 = {
      ...restoring.provider,
      provider: 'test.broken',
      observeResource: () =>
        errAsync(
          new FailoverError({
            kind: 'not-found',
            message: 'gone',
            provider: 'test.broken',
            operation: 'observeResource',
          }),
        ),
    };
    const run = (
      await runPlan(testPlan([step({ replicas: 6, status: 'Running' }), fails]), {
        providers: { memory: restoring.provider, broken },
        time: restoring.time,
      })
    )._unsafeUnwrap();
    expect(run.status).toBe('rolled-back');
    // The undo asked for the replicas only (restoreOf), not the observed status too.
    expect(restoring.seen.desired).toEqual([{ replicas: 6, status: 'Running' }, { replicas: 2 }]);
    expect(restoring.state()).toEqual({ replicas: 2, status: 'Running' });
  });
});
