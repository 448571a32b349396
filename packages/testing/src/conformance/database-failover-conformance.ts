import {
  type DatabaseDesiredState,
  type DatabaseFailoverV1,
  type DatabaseRef,
  type DatabaseTopology,
  databaseMatches,
  definePlan,
  type EnsureResult,
  type FailoverMode,
  runPlan,
  writerRegion,
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

/** The methods of `DatabaseFailoverV1`, as the fault hooks name them. */
export type DatabaseFailoverOperation = 'describe' | 'ensureWriter' | 'waitForWriter';

/** Seeded state the database cases use. Every setup must seed it afresh. */
export interface DatabaseConformanceFixture {
  /** A database whose writer is in `writerRegion`, with an available reader in `standbyRegion`. */
  database: DatabaseRef;
  writerRegion: string;
  standbyRegion: string;
  /** A region where the database has no member: moving the writer there is `precondition-failed`. */
  emptyRegion: string;
  /** A database that does not exist. */
  missing: DatabaseRef;
  /**
   * An in-region failover this backend can do (RDS Multi-AZ, Cloud SQL HA): the writer moves
   * to this zone and/or member of `writerRegion`. Without it the in-region cases are skipped visibly.
   */
  inRegion?: { zone?: string; memberId?: string };
  /** More desired states this backend's `ensureWriter` refuses; `precheckWriter` must refuse each first. */
  refusals?: RefusalCase<DatabaseDesiredState>[];
}

export type DatabaseConformanceOptions = ConformanceOptions<
  DatabaseFailoverV1,
  DatabaseConformanceFixture,
  DatabaseFailoverOperation
>;
type Setup = ConformanceSetup<DatabaseFailoverV1, DatabaseConformanceFixture, DatabaseFailoverOperation>;

/**
 * Registers the `DatabaseFailoverV1` conformance suite (a vitest `describe`). The main change
 * moves the writer to `standbyRegion`, planned when the provider supports it, else forced.
 *
 * @example
 * ```ts
 * import { runDatabaseFailoverConformance } from '@failover/testing/conformance';
 *
 * runDatabaseFailoverConformance({
 *   name: 'aws.aurora on the emulator',
 *   async setup() {
 *     const emulator = await startEmulator({ timeScale: 1000, seed });
 *     const aws = createAws({
 *       region: 'us-east-1',
 *       endpoints: { rds: emulator.endpoint('aws.rds'), cloudwatch: emulator.endpoint('aws.cloudwatch') },
 *       time: emulator.clock,
 *     });
 *     return {
 *       provider: aws.databaseFailover(),
 *       fixture: {
 *         database: { id: 'orders' }, writerRegion: 'us-east-1', standbyRegion: 'eu-west-1',
 *         emptyRegion: 'ap-southeast-2', missing: { id: 'no-such-cluster' },
 *       },
 *       mutatingCalls: () => emulator.requests.count({ mutating: true }),
 *       time: emulator.clock,
 *       teardown: () => emulator.stop(),
 *     };
 *   },
 * });
 * ```
 */
export function runDatabaseFailoverConformance(options: DatabaseConformanceOptions): void {
  describe(`DatabaseFailoverV1 conformance${options.name ? `: ${options.name}` : ''}`, async () => {
    const found = await probe(options);
    const capabilities = found.provider.capabilities;
    const timeouts = resolveTimeouts(options.timeouts);
    const mainMode: FailoverMode | undefined = capabilities.modes.includes('planned')
      ? 'planned'
      : capabilities.modes.includes('forced')
        ? 'forced'
        : undefined;
    const noModes = mainMode === undefined && 'capabilities.modes is empty';

    const ensure = async (setup: Setup, region: string, mode: FailoverMode) =>
      call(setup.provider, 'ensureWriter', () =>
        setup.provider.ensureWriter(setup.fixture.database, { region, mode }),
      );
    const describeDb = async (setup: Setup) =>
      expectOk(
        await call(setup.provider, 'describe', () => setup.provider.describe(setup.fixture.database)),
        'describe',
      );
    const expectWriterIn = (topology: DatabaseTopology, region: string) => {
      expect(writerRegion(topology), 'the writer region').toBe(region);
      expect(topology.failoverInProgress, 'failoverInProgress').toBe(false);
    };

    registerSharedCases<
      DatabaseFailoverV1,
      DatabaseConformanceFixture,
      DatabaseFailoverOperation,
      DatabaseTopology
    >({
      options,
      probe: found,
      kind: 'database',
      changeSkip: noModes,
      subject: {
        operations: { observe: 'describe', ensure: 'ensureWriter', wait: 'waitForWriter' },
        observe: (setup, opts) => setup.provider.describe(setup.fixture.database, opts),
        change: (setup, opts) =>
          setup.provider
            .ensureWriter(
              setup.fixture.database,
              { region: setup.fixture.standbyRegion, mode: mainMode! },
              opts,
            )
            .map((ensured): EnsureResult<unknown> => ensured),
        wait: (setup, handle, opts) =>
          setup.provider.waitForWriter(handle, opts).map((topology): unknown => topology),
        expectSeeded(setup, observed) {
          expectWriterIn(observed, setup.fixture.writerRegion);
          const standby = observed.members.find(
            (member) => member.region === setup.fixture.standbyRegion && member.role === 'reader',
          );
          expect(standby, `a reader in ${setup.fixture.standbyRegion}`).toBeDefined();
        },
        expectChanged: (setup, observed) => expectWriterIn(observed, setup.fixture.standbyRegion),
      },
    });

    const fixture = found.fixture as DatabaseConformanceFixture;
    const mode = mainMode ?? 'planned';
    registerSafetyCases<
      DatabaseFailoverV1,
      DatabaseConformanceFixture,
      DatabaseFailoverOperation,
      DatabaseDesiredState
    >({
      options,
      probe: found,
      changeSkip: noModes,
      subject: {
        operations: { observe: 'describe', ensure: 'ensureWriter', wait: 'waitForWriter' },
        precheckName: 'precheckWriter',
        observe: (setup, opts) =>
          setup.provider.describe(setup.fixture.database, opts).map((topology): unknown => topology),
        ensure: (setup, desired, opts) =>
          setup.provider
            .ensureWriter(setup.fixture.database, desired, opts)
            .map((ensured): EnsureResult<unknown> => ensured),
        precheck: found.provider.precheckWriter
          ? (setup, desired, observed) =>
              setup.provider.precheckWriter!(setup.fixture.database, desired, observed as DatabaseTopology)
          : undefined,
        wait: (setup, handle, opts) =>
          setup.provider.waitForWriter(handle, opts).map((topology): unknown => topology),
        mainDesired: (_observed, f) => ({ region: f.standbyRegion, mode }),
        expectChanged: (setup, observed) =>
          expectWriterIn(observed as DatabaseTopology, setup.fixture.standbyRegion),
        step: (f) =>
          mode === 'planned'
            ? { type: 'database', provider: 'subject', database: f.database, region: f.standbyRegion, mode }
            : { skip: "capabilities.modes has no 'planned' (a forced step needs a fence before it)" },
        refusals: [
          {
            title: 'a region without a member',
            kind: 'precondition-failed',
            desired: () => ({ region: fixture.emptyRegion, mode }),
          },
          { title: "region ''", kind: 'invalid-input', desired: () => ({ region: '', mode }) },
          {
            title: "mode 'sideways'",
            kind: 'invalid-input',
            desired: () => ({ region: fixture.standbyRegion, mode: 'sideways' as FailoverMode }),
          },
          ...(fixture.refusals ?? []),
        ],
      },
    });

    const inRegionSkip = noModes || (!fixture.inRegion && 'the fixture has no inRegion failover');
    const inRegionDesired = (f: DatabaseConformanceFixture): DatabaseDesiredState => ({
      region: f.writerRegion,
      mode,
      ...(f.inRegion?.zone !== undefined && { zone: f.inRegion.zone }),
      ...(f.inRegion?.memberId !== undefined && { memberId: f.inRegion.memberId }),
    });

    conformanceCase(
      options,
      'an in-region failover (zone / member) applies, and describe then returns the desired state',
      inRegionSkip,
      async (setup) => {
        const desired = inRegionDesired(setup.fixture);
        const before = await describeDb(setup);
        expect(databaseMatches(before, desired), 'the seeded writer is not yet where inRegion asks').toBe(
          false,
        );
        const ensured = expectOk(
          await call(setup.provider, 'ensureWriter', () =>
            setup.provider.ensureWriter(setup.fixture.database, desired),
          ),
          'ensureWriter (in-region)',
        );
        expect(ensured.changed, 'an in-region failover is a change, not a no-op').toBe(true);
        const handle = journalled(ensured.handle, setup.provider);
        await setup.finishOperations?.();
        expectOk(
          await call(setup.provider, 'waitForWriter', () =>
            setup.provider.waitForWriter(handle, waitOptions(timeouts)),
          ),
          'waitForWriter',
        );
        const after = await describeDb(setup);
        expect(
          databaseMatches(after, desired),
          `describe shows the writer where asked: ${JSON.stringify(after.members)}`,
        ).toBe(true);
      },
    );

    conformanceCase(
      options,
      'an in-region failover step never ends succeeded without a mutating call',
      inRegionSkip || (mode !== 'planned' && "capabilities.modes has no 'planned'"),
      async (setup) => {
        const plan = definePlan({
          id: 'conformance-in-region',
          name: 'in-region failover',
          sourceRegion: setup.fixture.writerRegion,
          targetRegion: setup.fixture.writerRegion,
        })
          .step({
            id: 'in-region',
            kind: 'action',
            action: {
              type: 'database',
              provider: 'subject',
              database: setup.fixture.database,
              ...inRegionDesired(setup.fixture),
            },
          })
          .build();
        if (plan.isErr()) expect.fail(plan.error.message);
        const run = await runPlan(plan.value, {
          providers: { subject: setup.provider },
          time: executorTime(setup.time),
          defaultRetry: { maxAttempts: 1 },
        });
        if (run.isErr()) expect.fail(run.error.message);
        expect(run.value.status, run.value.error?.message ?? '').toBe('succeeded');
        expect(run.value.steps[0]!.changed, 'the in-region step changed something').toBe(true);
        expect(
          run.value.report.apiCalls.total.mutatingApiCalls,
          'mutating API calls (onApiCall)',
        ).toBeGreaterThan(0);
        expect(databaseMatches(await describeDb(setup), inRegionDesired(setup.fixture))).toBe(true);
      },
    );

    conformanceCase(options, 'capabilities are well-formed', false, async (setup) => {
      const caps = setup.provider.capabilities;
      expect(Array.isArray(caps.modes)).toBe(true);
      for (const mode of caps.modes) expect(['planned', 'forced']).toContain(mode);
      expect(typeof caps.replicationLag).toBe('boolean');
    });

    conformanceCase(
      options,
      'describe reports replication lag of every reader',
      !capabilities.replicationLag && 'capabilities.replicationLag is false',
      async (setup) => {
        const topology = await describeDb(setup);
        const readers = topology.members.filter((member) => member.role === 'reader');
        expect(readers.length).toBeGreaterThan(0);
        for (const reader of readers) {
          expect(reader.replicationLagMs, `lag of ${reader.id}`).toBeTypeOf('number');
          expect(reader.replicationLagMs!, `lag of ${reader.id}`).toBeGreaterThanOrEqual(0);
        }
      },
    );

    for (const mode of ['planned', 'forced'] as const) {
      conformanceCase(
        options,
        `a ${mode} writer move applies and is observable after waitForWriter`,
        !capabilities.modes.includes(mode) && `capabilities.modes has no '${mode}'`,
        async (setup) => {
          const { standbyRegion, writerRegion: from } = setup.fixture;
          const ensured = expectOk(await ensure(setup, standbyRegion, mode), 'ensureWriter');
          expect(ensured.changed).toBe(true);
          expect(writerRegion(ensured.before), 'before shows the old writer').toBe(from);
          const handle = journalled(ensured.handle, setup.provider);
          await setup.finishOperations?.();
          const waited = expectOk(
            await call(setup.provider, 'waitForWriter', () =>
              setup.provider.waitForWriter(handle, waitOptions(timeouts)),
            ),
            'waitForWriter',
          );
          expect(writerRegion(waited), 'waitForWriter returns the new topology').toBe(standbyRegion);
          expectWriterIn(await describeDb(setup), standbyRegion);
        },
      );
    }

    conformanceCase(
      options,
      'asking for the writer where it already is changes nothing',
      noModes,
      async (setup) => {
        const before = await mutationCount(setup);
        const ensured = expectOk(await ensure(setup, setup.fixture.writerRegion, mainMode!), 'ensureWriter');
        expect(ensured.changed).toBe(false);
        expect(ensured.handle).toBeUndefined();
        expect(await mutationCount(setup), 'mutating calls').toBe(before);
      },
    );

    conformanceCase(options, 'a missing database is not-found', noModes, async (setup) => {
      const p = setup.provider;
      const missing = setup.fixture.missing;
      expectErr(
        await call(p, 'describe', () => p.describe(missing)),
        'not-found',
        'describe of a missing database',
      );
      const before = await mutationCount(setup);
      expectErr(
        await call(p, 'ensureWriter', () =>
          p.ensureWriter(missing, { region: setup.fixture.standbyRegion, mode: mainMode! }),
        ),
        'not-found',
        'ensureWriter of a missing database',
      );
      expect(await mutationCount(setup), 'mutating calls').toBe(before);
    });

    conformanceCase(
      options,
      'moving the writer to a region without a member is precondition-failed and changes nothing',
      noModes,
      async (setup) => {
        const before = await mutationCount(setup);
        expectErr(
          await ensure(setup, setup.fixture.emptyRegion, mainMode!),
          'precondition-failed',
          'ensureWriter to an empty region',
        );
        expect(await mutationCount(setup), 'mutating calls').toBe(before);
        expectWriterIn(await describeDb(setup), setup.fixture.writerRegion);
      },
    );

    conformanceCase(
      options,
      'invalid desired state is invalid-input and changes nothing',
      false,
      async (setup) => {
        const before = await mutationCount(setup);
        expectErr(
          await ensure(setup, '', mainMode ?? 'planned'),
          'invalid-input',
          "ensureWriter to region ''",
        );
        expectErr(
          await ensure(setup, setup.fixture.standbyRegion, 'sideways' as FailoverMode),
          'invalid-input',
          "ensureWriter with mode 'sideways'",
        );
        expect(await mutationCount(setup), 'mutating calls').toBe(before);
        expectWriterIn(await describeDb(setup), setup.fixture.writerRegion);
      },
    );

    conformanceCase(
      options,
      'malformed arguments come back as FailoverErrors, never throws',
      false,
      async (setup) => {
        const p = setup.provider;
        const garbage = {} as never;
        expectSomeErr(await call(p, 'describe', () => p.describe(garbage)), 'describe({})');
        expectSomeErr(
          await call(p, 'ensureWriter', () => p.ensureWriter(setup.fixture.database, garbage)),
          'ensureWriter(ref, {})',
        );
        expectSomeErr(
          await call(p, 'waitForWriter', () => p.waitForWriter(garbage, { timeoutMs: 1_000 })),
          'waitForWriter({})',
        );
      },
    );
  });
}
