import type {
  ClusterScalerV1,
  EnsureResult,
  NodePool,
  NodePoolDesiredState,
  NodePoolRef,
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
import { type RefusalCase, registerSafetyCases } from './conformance-safety-cases.js';

/** The methods of `ClusterScalerV1`, as the fault hooks name them. */
export type ClusterScalerOperation = 'describePool' | 'ensureSize' | 'waitForPool';

/** Seeded state the cluster cases use. Every setup must seed it afresh. */
export interface ClusterConformanceFixture {
  /** A settled pool (not updating, every desired node ready) with `min <= desired < max`. */
  pool: NodePoolRef;
  /** Its seeded sizes. The main change scales it to `desired + 1`. */
  seeded: { desired: number; min: number; max: number };
  /** A pool that does not exist. */
  missing: NodePoolRef;
  /** More sizes this backend's `ensureSize` refuses; the kit checks `precheckSize` refuses each first. */
  refusals?: RefusalCase<NodePoolDesiredState>[];
}

export type ClusterConformanceOptions = ConformanceOptions<
  ClusterScalerV1,
  ClusterConformanceFixture,
  ClusterScalerOperation
>;
type Setup = ConformanceSetup<ClusterScalerV1, ClusterConformanceFixture, ClusterScalerOperation>;

/**
 * Registers the `ClusterScalerV1` conformance suite (a vitest `describe`).
 *
 * @example
 * ```ts
 * import { runClusterScalerConformance } from '@failover/testing/conformance';
 *
 * runClusterScalerConformance({
 *   name: 'gcp.gke on the emulator',
 *   async setup() {
 *     const emulator = await startEmulator({ timeScale: 1000, seed });
 *     const gcp = createGcp({
 *       project: 'aegis',
 *       accessToken: 'emulator-token',
 *       rootUrls: emulatorRootUrls(emulator.url),
 *       time: emulator.clock,
 *     });
 *     return {
 *       provider: gcp.clusterScaler({ location: 'europe-west1' }),
 *       fixture: {
 *         pool: { cluster: 'prod-euw1', pool: 'general', region: 'europe-west1' },
 *         seeded: { desired: 2, min: 1, max: 10 },
 *         missing: { cluster: 'prod-euw1', pool: 'nope', region: 'europe-west1' },
 *       },
 *       mutatingCalls: () => emulator.requests.count({ mutating: true }),
 *       time: emulator.clock,
 *       teardown: () => emulator.stop(),
 *     };
 *   },
 * });
 * ```
 */
export function runClusterScalerConformance(options: ClusterConformanceOptions): void {
  describe(`ClusterScalerV1 conformance${options.name ? `: ${options.name}` : ''}`, async () => {
    const found = await probe(options);
    const capabilities = found.provider.capabilities;
    const timeouts = resolveTimeouts(options.timeouts);

    const describePool = async (setup: Setup) =>
      expectOk(
        await call(setup.provider, 'describePool', () => setup.provider.describePool(setup.fixture.pool)),
        'describePool',
      );
    const ensure = async (setup: Setup, desired: NodePoolDesiredState) =>
      call(setup.provider, 'ensureSize', () => setup.provider.ensureSize(setup.fixture.pool, desired));
    const expectSizes = (pool: NodePool, sizes: { desired: number; min: number; max: number }) => {
      expect({ desired: pool.desired, min: pool.min, max: pool.max }, 'pool sizes').toEqual(sizes);
    };
    const target = (setup: Setup) => setup.fixture.seeded.desired + 1;

    registerSharedCases<ClusterScalerV1, ClusterConformanceFixture, ClusterScalerOperation, NodePool>({
      options,
      probe: found,
      kind: 'cluster',
      subject: {
        operations: { observe: 'describePool', ensure: 'ensureSize', wait: 'waitForPool' },
        observe: (setup, opts) => setup.provider.describePool(setup.fixture.pool, opts),
        change: (setup, opts) =>
          setup.provider
            .ensureSize(setup.fixture.pool, { desired: target(setup) }, opts)
            .map((ensured): EnsureResult<unknown> => ensured),
        wait: (setup, handle, opts) => setup.provider.waitForPool(handle, opts).map((pool): unknown => pool),
        expectSeeded(setup, observed) {
          expectSizes(observed, setup.fixture.seeded);
          expect(observed.ready, 'every desired node is ready').toBe(setup.fixture.seeded.desired);
          expect(observed.status, 'status').toBe('ready');
        },
        expectChanged(setup, observed) {
          expectSizes(observed, { ...setup.fixture.seeded, desired: target(setup) });
          expect(observed.ready, 'ready nodes').toBeGreaterThanOrEqual(target(setup));
          expect(observed.status, 'status').toBe('ready');
        },
      },
    });

    const fixture = found.fixture as ClusterConformanceFixture;
    const { desired: seededDesired, max: seededMax } = fixture.seeded;
    const refusal = (title: string, desired: NodePoolDesiredState): RefusalCase<NodePoolDesiredState> => ({
      title,
      kind: 'invalid-input',
      desired: () => desired,
    });
    registerSafetyCases<
      ClusterScalerV1,
      ClusterConformanceFixture,
      ClusterScalerOperation,
      NodePoolDesiredState
    >({
      options,
      probe: found,
      subject: {
        operations: { observe: 'describePool', ensure: 'ensureSize', wait: 'waitForPool' },
        precheckName: 'precheckSize',
        observe: (setup, opts) =>
          setup.provider.describePool(setup.fixture.pool, opts).map((pool): unknown => pool),
        ensure: (setup, desired, opts) =>
          setup.provider
            .ensureSize(setup.fixture.pool, desired, opts)
            .map((ensured): EnsureResult<unknown> => ensured),
        precheck: found.provider.precheckSize
          ? (setup, desired, observed) =>
              setup.provider.precheckSize!(setup.fixture.pool, desired, observed as NodePool)
          : undefined,
        wait: (setup, handle, opts) => setup.provider.waitForPool(handle, opts).map((pool): unknown => pool),
        mainDesired: (_observed, f) => ({ desired: f.seeded.desired + 1 }),
        expectChanged(setup, observed) {
          expectSizes(observed as NodePool, { ...setup.fixture.seeded, desired: target(setup) });
        },
        step: (f) => ({ type: 'scale', provider: 'subject', pool: f.pool, desired: f.seeded.desired + 1 }),
        refusals: [
          refusal('min > max', { min: seededMax + 1, max: seededMax, desired: seededDesired }),
          refusal('desired > max', { desired: seededMax + 1 }),
          refusal('min > desired', { min: seededDesired + 1 }),
          refusal('a negative desired size', { desired: -1 }),
          ...(fixture.refusals ?? []),
        ],
      },
    });

    conformanceCase(options, 'capabilities are well-formed', false, async (setup) => {
      expect(typeof setup.provider.capabilities.bounds).toBe('boolean');
      expect(typeof setup.provider.capabilities.autoscaledPools).toBe('boolean');
    });

    conformanceCase(options, 'the fixture is usable (min <= desired < max)', false, async (setup) => {
      const { min, desired, max } = setup.fixture.seeded;
      expect(min <= desired && desired < max, `min ${min} <= desired ${desired} < max ${max}`).toBe(true);
    });

    conformanceCase(options, 'waitForPool returns once minReady nodes are ready', false, async (setup) => {
      const ensured = expectOk(await ensure(setup, { desired: target(setup) }), 'ensureSize');
      const handle = journalled(ensured.handle, setup.provider);
      await setup.finishOperations?.();
      const pool = expectOk(
        await call(setup.provider, 'waitForPool', () =>
          setup.provider.waitForPool(handle, { ...waitOptions(timeouts), minReady: target(setup) }),
        ),
        'waitForPool',
      );
      expect(pool.ready).toBeGreaterThanOrEqual(target(setup));
      expect(pool.desired).toBe(target(setup));
    });

    conformanceCase(
      options,
      'changing the bounds (max) applies and is observable',
      !capabilities.bounds && 'capabilities.bounds is false',
      async (setup) => {
        const sizes = { ...setup.fixture.seeded, max: setup.fixture.seeded.max + 1 };
        const ensured = expectOk(await ensure(setup, { max: sizes.max }), 'ensureSize');
        expect(ensured.changed).toBe(true);
        const handle = journalled(ensured.handle, setup.provider);
        await setup.finishOperations?.();
        expectOk(
          await call(setup.provider, 'waitForPool', () =>
            setup.provider.waitForPool(handle, waitOptions(timeouts)),
          ),
          'waitForPool',
        );
        expectSizes(await describePool(setup), sizes);
      },
    );

    conformanceCase(
      options,
      'asking for the sizes already in place changes nothing',
      false,
      async (setup) => {
        const before = await mutationCount(setup);
        const ensured = expectOk(
          await ensure(setup, { desired: setup.fixture.seeded.desired }),
          'ensureSize',
        );
        expect(ensured.changed).toBe(false);
        expect(ensured.handle).toBeUndefined();
        expect(await mutationCount(setup), 'mutating calls').toBe(before);
      },
    );

    conformanceCase(options, 'a missing pool is not-found', false, async (setup) => {
      const p = setup.provider;
      const missing = setup.fixture.missing;
      expectErr(
        await call(p, 'describePool', () => p.describePool(missing)),
        'not-found',
        'describePool of a missing pool',
      );
      expectErr(
        await call(p, 'ensureSize', () => p.ensureSize(missing, { desired: 1 })),
        'not-found',
        'ensureSize of a missing pool',
      );
    });

    conformanceCase(
      options,
      'inconsistent sizes (min > max, desired > max, min > desired, negative) are invalid-input with no mutation',
      false,
      async (setup) => {
        const { min, desired, max } = setup.fixture.seeded;
        const before = await mutationCount(setup);
        const cases: Array<[string, NodePoolDesiredState]> = [
          ['min > max', { min: max + 1, max, desired }],
          ['desired > max', { desired: max + 1 }],
          ['min > desired', { min: desired + 1 }],
          ['negative desired', { desired: -1 }],
        ];
        for (const [label, sizes] of cases) {
          expectErr(await ensure(setup, sizes), 'invalid-input', `ensureSize with ${label}`);
        }
        expect(await mutationCount(setup), 'mutating calls for invalid input').toBe(before);
        expectSizes(await describePool(setup), { min, desired, max });
      },
    );

    conformanceCase(
      options,
      'malformed arguments come back as FailoverErrors, never throws',
      false,
      async (setup) => {
        const p = setup.provider;
        const garbage = {} as never;
        expectSomeErr(await call(p, 'describePool', () => p.describePool(garbage)), 'describePool({})');
        expectSomeErr(
          await call(p, 'ensureSize', () => p.ensureSize(setup.fixture.pool, null as never)),
          'ensureSize(ref, null)',
        );
        expectSomeErr(
          await call(p, 'waitForPool', () => p.waitForPool(garbage, { timeoutMs: 1_000 })),
          'waitForPool({})',
        );
      },
    );
  });
}
