import {
  type DatabaseFailoverV1,
  type DatabaseRef,
  type DatabaseReplicaSpec,
  type DatabaseReprotectV1,
  databaseReprotectResource,
  type FailoverPlan,
  runPlan,
} from '@failover/core';
import { describe, expect } from 'vitest';
import {
  call,
  conformanceCase,
  expectErr,
  expectOk,
  journalled,
  mutationCount,
  probe,
  resolveTimeouts,
  waitOptions,
} from './conformance-harness.js';
import type { ConformanceOptions, ConformanceSetup } from './conformance-options.js';
import { executorTime } from './conformance-safety-cases.js';

/** The methods of `DatabaseReprotectV1`, as the fault hooks name them. */
export type DatabaseReprotectOperation = 'observeReplica' | 'ensureReplica' | 'waitForReplica';

/**
 * Seeded state the reprotect cases use: a database after a forced promotion broke
 * replication. Every setup must seed it afresh (and promote, if that is how it gets there).
 */
export interface DatabaseReprotectFixture {
  database: DatabaseRef;
  /** A replica that does not exist yet, of the promoted writer, in the original region. */
  replica: DatabaseReplicaSpec;
  /** The same writer, but a replica name already taken by something that is not its replica. */
  foreign: DatabaseReplicaSpec;
}

type Provider = DatabaseFailoverV1 & DatabaseReprotectV1;
export type DatabaseReprotectConformanceOptions = ConformanceOptions<
  Provider,
  DatabaseReprotectFixture,
  DatabaseReprotectOperation
>;
type Setup = ConformanceSetup<Provider, DatabaseReprotectFixture, DatabaseReprotectOperation>;

/**
 * Registers the `DatabaseReprotectV1` conformance suite (a vitest `describe`): the replica is
 * created once and only when absent, a re-run or a lost answer never creates a second one, a
 * foreign resource of that name is refused without a mutating call, and the dry-run of a
 * reprotect step (through `databaseReprotectResource`) changes nothing.
 */
export function runDatabaseReprotectConformance(options: DatabaseReprotectConformanceOptions): void {
  describe(`DatabaseReprotectV1 conformance${options.name ? `: ${options.name}` : ''}`, async () => {
    const found = await probe(options);
    const timeouts = resolveTimeouts(options.timeouts);
    const noCount = !found.mutatingCalls && 'no mutatingCalls() to count requests';

    const observe = async (setup: Setup, spec: DatabaseReplicaSpec) =>
      expectOk(
        await call(setup.provider, 'observeReplica', () =>
          setup.provider.observeReplica(setup.fixture.database, spec),
        ),
        'observeReplica',
      );
    const ensure = (setup: Setup, spec: DatabaseReplicaSpec) =>
      call(setup.provider, 'ensureReplica', () => setup.provider.ensureReplica(setup.fixture.database, spec));
    const waitFor = async (setup: Setup, handle: Parameters<Provider['waitForReplica']>[0]) => {
      await setup.finishOperations?.();
      return expectOk(
        await call(setup.provider, 'waitForReplica', () =>
          setup.provider.waitForReplica(handle, waitOptions(timeouts)),
        ),
        'waitForReplica',
      );
    };

    conformanceCase(options, 'declares reprotect v1', false, async (setup) => {
      expect(setup.provider.reprotectVersion).toBe('v1');
    });

    conformanceCase(
      options,
      'creates an absent replica once; a second ensure makes no mutating call',
      noCount,
      async (setup) => {
        const { replica } = setup.fixture;
        expect((await observe(setup, replica)).state, 'the replica is absent at first').toBe('absent');
        const before = await mutationCount(setup);
        const ensured = expectOk(await ensure(setup, replica), 'ensureReplica');
        expect(ensured.changed, 'ensureReplica created it').toBe(true);
        expect(ensured.before.state).toBe('absent');
        const state = await waitFor(setup, journalled(ensured.handle, setup.provider));
        expect(state.state, 'waitForReplica ends with the replica replicating').toBe('replicating');
        expect(state.replicaId).toBe(replica.replicaId);
        const created = (await mutationCount(setup)) - before;
        expect(created, 'mutating requests to create it').toBeGreaterThan(0);
        const again = expectOk(await ensure(setup, replica), 'ensureReplica again');
        expect(again.changed, 'the second ensure changes nothing').toBe(false);
        expect(again.handle).toBeUndefined();
        expect((await mutationCount(setup)) - before, 'no mutating request the second time').toBe(created);
      },
    );

    conformanceCase(
      options,
      'a re-run while the replica is being created waits on it, creating nothing more',
      noCount,
      async (setup) => {
        const { replica } = setup.fixture;
        const first = expectOk(await ensure(setup, replica), 'ensureReplica');
        const after = await mutationCount(setup);
        const resumed = expectOk(await ensure(setup, replica), 'ensureReplica, resumed');
        if (resumed.changed) {
          expect((await mutationCount(setup)) - after, 'the resumed ensure sends nothing').toBe(0);
          expect((await waitFor(setup, journalled(resumed.handle, setup.provider))).state).toBe(
            'replicating',
          );
        } else {
          // A backend that already reads it as replicating (a fast create) has nothing to wait on.
          expect((await waitFor(setup, journalled(first.handle, setup.provider))).state).toBe('replicating');
        }
        expect(await mutationCount(setup), 'no second create').toBe(after);
      },
    );

    conformanceCase(
      options,
      'when the answer of the create was lost, the retry waits on it: still one replica',
      (!found.loseAnswer && 'no loseAnswer fault hook') || noCount,
      async (setup) => {
        const { replica } = setup.fixture;
        const before = await mutationCount(setup);
        await setup.faults!.loseAnswer!('ensureReplica');
        const ensured = expectOk(await ensure(setup, replica), 'ensureReplica (answer lost)');
        expect(ensured.changed).toBe(true);
        expect((await waitFor(setup, journalled(ensured.handle, setup.provider))).state).toBe('replicating');
        const lost = (await mutationCount(setup)) - before;
        expect(expectOk(await ensure(setup, replica), 'ensureReplica again').changed).toBe(false);
        expect((await mutationCount(setup)) - before, 'the create was not sent again').toBe(lost);
      },
    );

    conformanceCase(
      options,
      'refuses a resource of that name that is not a replica of the writer, without a mutating call',
      noCount,
      async (setup) => {
        const { foreign } = setup.fixture;
        expect((await observe(setup, foreign)).state, 'observed as foreign').toBe('foreign');
        const before = await mutationCount(setup);
        expectErr(
          await ensure(setup, foreign),
          'precondition-failed',
          'ensureReplica over a foreign resource',
        );
        expect(await mutationCount(setup), 'nothing was changed (nor deleted)').toBe(before);
      },
    );

    conformanceCase(
      options,
      'as a plan step (databaseReprotectResource): the dry-run shows the replica to create and mutates nothing',
      noCount,
      async (setup) => {
        const { database, replica } = setup.fixture;
        const plan: FailoverPlan = {
          version: 1,
          id: 'reprotect-conformance',
          name: 'Reprotect conformance',
          sourceRegion: replica.writer.region,
          targetRegion: replica.region,
          steps: [
            {
              id: 'reprotect',
              kind: 'action',
              action: {
                type: 'resource',
                provider: 'reprotect',
                resource: { database: { ...database }, ...JSON.parse(JSON.stringify(replica)) },
                desired: { state: 'replicating' },
              },
            },
          ],
        };
        const before = await mutationCount(setup);
        const run = await runPlan(plan, {
          providers: { reprotect: databaseReprotectResource(setup.provider) },
          time: executorTime(setup.time),
          dryRun: true,
          defaultRetry: { maxAttempts: 1 },
        });
        if (run.isErr()) expect.fail(`runPlan failed: ${run.error.kind}: ${run.error.message}`);
        expect(run.value.status, run.value.error?.message ?? '').toBe('succeeded');
        expect(run.value.diffs?.reprotect).toMatchObject({ wouldChange: true });
        expect(await mutationCount(setup), 'the dry-run sent no mutating request').toBe(before);
      },
    );
  });
}
