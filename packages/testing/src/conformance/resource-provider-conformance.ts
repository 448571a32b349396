import {
  type ActionSpec,
  type AnyResourceProviderV1,
  definePlan,
  type EnsureResult,
  type FailoverPlan,
  type ResourceJson,
  type RunOptions,
  resourceDifferences,
  resourceMatches,
  runPlan,
} from '@failover/core';
import { describe, expect } from 'vitest';
import {
  call,
  conformanceCase,
  expectErr,
  expectOk,
  expectSomeErr,
  journalled,
  mutationCount,
  probe,
  registerSharedCases,
  resolveTimeouts,
  waitOptions,
} from './conformance-harness.js';
import type { ConformanceOptions, ConformanceSetup } from './conformance-options.js';
import { executorTime, type RefusalCase, registerSafetyCases } from './conformance-safety-cases.js';

/** The methods of `ResourceProviderV1`, as the fault hooks name them. */
export type ResourceProviderOperation =
  | 'observeResource'
  | 'ensureResource'
  | 'waitForResource'
  | 'precheckResource'
  | 'checkResource';

/** Seeded state the resource cases use, in the provider's own terms (plain JSON). Every setup seeds it afresh. */
export interface ResourceConformanceFixture {
  /** A settled resource (no change in flight). */
  resource: ResourceJson;
  /** The main change's fields as seeded (as a desired state the seeded resource matches, or its fields). */
  seeded: ResourceJson;
  /** The main change: a desired state the seeded resource does not match yet. */
  change: ResourceJson;
  /** A resource that does not exist. */
  missing: ResourceJson;
  /** Desired states this backend's `ensureResource` refuses; the kit checks `precheckResource` refuses each first. */
  refusals?: RefusalCase<ResourceJson>[];
  /** For `checkResource`: a condition that holds on the seeded resource and one that does not. */
  conditions?: { holds: ResourceJson; fails: ResourceJson };
  /** Passed as `waitUntil` to the steps the kit runs through the executor, when the provider needs one. */
  waitUntil?: ResourceJson;
}

export type ResourceConformanceOptions = ConformanceOptions<
  AnyResourceProviderV1,
  ResourceConformanceFixture,
  ResourceProviderOperation
>;
type Setup = ConformanceSetup<AnyResourceProviderV1, ResourceConformanceFixture, ResourceProviderOperation>;

/**
 * Registers the `ResourceProviderV1` conformance suite (a vitest `describe`): the cases every
 * provider kind shares (identity, observe-only, idempotent ensure, wait deadline, aborts,
 * throttling, a lost answer found in flight, pre-check agreeing with ensure, a step through
 * the executor), plus the open kind's own: states are plain JSON, undo from `before` puts the
 * resource back (directly and as a rollback), a dry-run shows the difference and mutates
 * nothing, and `checkResource` evaluates without mutating.
 *
 * @example
 * ```ts
 * import { runResourceProviderConformance } from '@failover/testing/conformance';
 *
 * runResourceProviderConformance({
 *   name: 'acme flags on its fake API',
 *   async setup() {
 *     const api = await startFakeFlagApi({ flags: { 'checkout-region': 'us-east-1' } });
 *     return {
 *       provider: createAcmeFlags({ baseUrl: api.url }),
 *       fixture: {
 *         resource: { flag: 'checkout-region' },
 *         seeded: { value: 'us-east-1' },
 *         change: { value: 'eu-west-1' },
 *         missing: { flag: 'no-such-flag' },
 *       },
 *       mutatingCalls: () => api.mutations,
 *       teardown: () => api.stop(),
 *     };
 *   },
 * });
 * ```
 */
export function runResourceProviderConformance(options: ResourceConformanceOptions): void {
  describe(`ResourceProviderV1 conformance${options.name ? `: ${options.name}` : ''}`, async () => {
    const found = await probe(options);
    const timeouts = resolveTimeouts(options.timeouts);
    const fixture = found.fixture as ResourceConformanceFixture;

    const matches = (setup: Setup, desired: object, observed: object): boolean =>
      setup.provider.matches ? setup.provider.matches(desired, observed) : resourceMatches(desired, observed);
    const observe = async (setup: Setup, ref = setup.fixture.resource) =>
      expectOk(
        await call(setup.provider, 'observeResource', () => setup.provider.observeResource(ref)),
        'observeResource',
      );
    const ensure = (setup: Setup, desired: object) =>
      call(setup.provider, 'ensureResource', () =>
        setup.provider.ensureResource(setup.fixture.resource, desired),
      );
    const waitFor = async (setup: Setup, ensured: EnsureResult<object>) => {
      if (!ensured.handle) return;
      const handle = journalled(ensured.handle, setup.provider);
      await setup.finishOperations?.();
      expectOk(
        await call(setup.provider, 'waitForResource', () =>
          setup.provider.waitForResource(handle, waitOptions(timeouts)),
        ),
        'waitForResource',
      );
    };
    // By the provider's `matches`, or field by field: a `matches` that also asks for completion
    // (a rollout done for this value) says nothing about whether the fields are still as seeded.
    const expectSeeded = (setup: Setup, observed: object) => {
      const seeded = setup.fixture.seeded;
      const asSeeded = matches(setup, seeded, observed) || resourceDifferences(seeded, observed).length === 0;
      expect(asSeeded, `the resource is as seeded: ${JSON.stringify(observed)}`).toBe(true);
      expect(matches(setup, setup.fixture.change, observed), 'the main change is not in place').toBe(false);
    };
    const expectChanged = (setup: Setup, observed: object) => {
      expect(matches(setup, setup.fixture.change, observed), 'the observed resource is as desired').toBe(
        true,
      );
    };
    const step = (f: ResourceConformanceFixture, resource = f.resource): ActionSpec => ({
      type: 'resource',
      provider: 'subject',
      resource,
      desired: f.change,
      ...(f.waitUntil !== undefined && { waitUntil: f.waitUntil }),
    });
    const runOptions = (setup: Setup, extra: Partial<RunOptions> = {}): RunOptions => ({
      providers: { subject: setup.provider },
      time: executorTime(setup.time),
      defaultRetry: { maxAttempts: 1 },
      ...extra,
    });
    const plan = (steps: FailoverPlan['steps']): FailoverPlan => {
      const result = definePlan({
        id: 'resource-conformance',
        name: 'resource conformance',
        sourceRegion: 'conformance-source',
        targetRegion: 'conformance-target',
      })
        .step(...steps)
        .build();
      if (result.isErr()) expect.fail(`the kit's plan is invalid: ${result.error.message}`);
      return result.value;
    };

    registerSharedCases<AnyResourceProviderV1, ResourceConformanceFixture, ResourceProviderOperation, object>(
      {
        options,
        probe: found,
        kind: 'resource',
        subject: {
          operations: { observe: 'observeResource', ensure: 'ensureResource', wait: 'waitForResource' },
          observe: (setup, opts) => setup.provider.observeResource(setup.fixture.resource, opts),
          change: (setup, opts) =>
            setup.provider
              .ensureResource(setup.fixture.resource, setup.fixture.change, opts)
              .map((ensured): EnsureResult<unknown> => ensured),
          wait: (setup, handle, opts) =>
            setup.provider
              .waitForResource(handle, {
                ...opts,
                ...(setup.fixture.waitUntil !== undefined && { until: setup.fixture.waitUntil }),
              })
              .map((observed): unknown => observed),
          expectSeeded,
          expectChanged,
        },
      },
    );

    registerSafetyCases<
      AnyResourceProviderV1,
      ResourceConformanceFixture,
      ResourceProviderOperation,
      ResourceJson
    >({
      options,
      probe: found,
      subject: {
        operations: { observe: 'observeResource', ensure: 'ensureResource', wait: 'waitForResource' },
        precheckName: 'precheckResource',
        observe: (setup, opts) =>
          setup.provider.observeResource(setup.fixture.resource, opts).map((observed): unknown => observed),
        ensure: (setup, desired, opts) =>
          setup.provider
            .ensureResource(setup.fixture.resource, desired, opts)
            .map((ensured): EnsureResult<unknown> => ensured),
        precheck: found.provider.precheckResource
          ? (setup, desired, observed) =>
              setup.provider.precheckResource!(setup.fixture.resource, desired, observed as object)
          : undefined,
        wait: (setup, handle, opts) =>
          setup.provider
            .waitForResource(handle, {
              ...opts,
              ...(setup.fixture.waitUntil !== undefined && { until: setup.fixture.waitUntil }),
            })
            .map((observed): unknown => observed),
        mainDesired: (_observed, f) => f.change,
        expectChanged: (setup, observed) => expectChanged(setup, observed as object),
        step: (f) => step(f),
        refusals: [
          {
            title: 'a desired state that is not an object',
            kind: 'invalid-input',
            desired: () => null as unknown as ResourceJson,
          },
          ...(fixture.refusals ?? []),
        ],
      },
    });

    conformanceCase(
      options,
      'the fixture is usable (seeded matches, change does not)',
      false,
      async (setup) => {
        expectSeeded(setup, await observe(setup));
      },
    );

    conformanceCase(
      options,
      'observed states and what ensure returns are plain JSON (the journal stores them)',
      false,
      async (setup) => {
        const observed = await observe(setup);
        expect(JSON.parse(JSON.stringify(observed)), 'observeResource survives JSON').toEqual(observed);
        const ensured = expectOk(await ensure(setup, setup.fixture.change), 'ensureResource');
        expect(JSON.parse(JSON.stringify(ensured.before)), 'before survives JSON').toEqual(ensured.before);
        expectSeeded(setup, ensured.before);
      },
    );

    conformanceCase(
      options,
      'asking for the state already in place changes nothing',
      false,
      async (setup) => {
        const before = await mutationCount(setup);
        const ensured = expectOk(await ensure(setup, setup.fixture.seeded), 'ensureResource');
        expect(ensured.changed).toBe(false);
        expect(ensured.handle).toBeUndefined();
        expect(await mutationCount(setup), 'mutating calls').toBe(before);
      },
    );

    conformanceCase(
      options,
      'undo from before: ensuring restoreOf(before) (default: before) puts the resource back',
      false,
      async (setup) => {
        const ensured = expectOk(await ensure(setup, setup.fixture.change), 'ensureResource');
        await waitFor(setup, ensured);
        expectChanged(setup, await observe(setup));
        const restore = setup.provider.restoreOf ? setup.provider.restoreOf(ensured.before) : ensured.before;
        expect(JSON.parse(JSON.stringify(restore)), 'restoreOf(before) is plain JSON').toEqual(restore);
        const undone = expectOk(await ensure(setup, restore), 'ensureResource (undo)');
        expect(undone.changed, 'the undo changed the resource back').toBe(true);
        await waitFor(setup, undone);
        const after = await observe(setup);
        expectSeeded(setup, after);
        expect(matches(setup, restore, after), 'the resource matches restoreOf(before)').toBe(true);
      },
    );

    conformanceCase(
      options,
      'a dry-run through the executor shows the difference and makes no mutating call',
      false,
      async (setup) => {
        const before = await mutationCount(setup);
        const run = await runPlan(
          plan([{ id: 'change', kind: 'action', action: step(setup.fixture) }]),
          runOptions(setup, { dryRun: true }),
        );
        if (run.isErr()) expect.fail(`runPlan failed: ${run.error.kind}: ${run.error.message}`);
        const diff = run.value.diffs?.change ?? run.value.steps[0]?.diff;
        expect(diff?.type, 'a resource diff').toBe('resource');
        expect(diff && 'wouldChange' in diff && diff.wouldChange, 'the dry-run sees the difference').toBe(
          true,
        );
        expect(run.value.report.apiCalls.total.mutatingApiCalls, 'mutating API calls reported').toBe(0);
        // Without a mutatingCalls() hook, the count stays 0: the state below still proves nothing changed.
        expect(await mutationCount(setup), 'mutating requests the backend received').toBe(before);
        expectSeeded(setup, await observe(setup));
      },
    );

    conformanceCase(
      options,
      'a failure later in the plan rolls the step back to the state observed before it',
      false,
      async (setup) => {
        const run = await runPlan(
          plan([
            { id: 'change', kind: 'action', action: step(setup.fixture) },
            {
              id: 'fails',
              kind: 'action',
              dependsOn: ['change'],
              action: step(setup.fixture, setup.fixture.missing),
            },
          ]),
          runOptions(setup),
        );
        if (run.isErr()) expect.fail(`runPlan failed: ${run.error.kind}: ${run.error.message}`);
        expect(run.value.status, run.value.error?.message ?? '').toBe('rolled-back');
        expect(run.value.rollback?.steps.find((s) => s.stepId === 'change')?.status).toBe('rolled-back');
        expectSeeded(setup, await observe(setup));
      },
    );

    conformanceCase(options, 'a missing resource is not-found', false, async (setup) => {
      const p = setup.provider;
      const missing = setup.fixture.missing;
      expectErr(
        await call(p, 'observeResource', () => p.observeResource(missing)),
        'not-found',
        'observeResource of a missing resource',
      );
      expectErr(
        await call(p, 'ensureResource', () => p.ensureResource(missing, setup.fixture.change)),
        'not-found',
        'ensureResource of a missing resource',
      );
    });

    conformanceCase(
      options,
      'malformed arguments come back as FailoverErrors, never throws',
      false,
      async (setup) => {
        const p = setup.provider;
        expectSomeErr(
          await call(p, 'ensureResource', () => p.ensureResource(setup.fixture.resource, null as never)),
          'ensureResource(ref, null)',
        );
        expectSomeErr(
          await call(p, 'waitForResource', () => p.waitForResource({} as never, { timeoutMs: 1_000 })),
          'waitForResource({})',
        );
      },
    );

    const noConditions = !fixture.conditions && 'the fixture names no conditions';
    const noCheck = !found.provider.checkResource && 'the provider has no checkResource (optional)';
    conformanceCase(
      options,
      'checkResource evaluates a condition that holds and one that does not, with no mutating call',
      noCheck || noConditions,
      async (setup) => {
        const p = setup.provider;
        const { holds, fails } = setup.fixture.conditions!;
        const before = await mutationCount(setup);
        const yes = expectOk(
          await call(p, 'checkResource', () => p.checkResource!(setup.fixture.resource, holds)),
          'checkResource (holds)',
        );
        expect(yes.passed, yes.summary).toBe(true);
        const no = expectOk(
          await call(p, 'checkResource', () => p.checkResource!(setup.fixture.resource, fails)),
          'checkResource (fails)',
        );
        expect(no.passed, no.summary).toBe(false);
        for (const observation of [yes, no]) {
          expect(typeof observation.summary === 'string' && observation.summary.length > 0).toBe(true);
          expect(JSON.parse(JSON.stringify(observation.actual ?? null))).toEqual(observation.actual ?? null);
        }
        expect(await mutationCount(setup), 'mutating calls of checkResource').toBe(before);
      },
    );
  });
}
