import {
  type ActionSpec,
  type CallOptions,
  definePlan,
  type EnsureResult,
  type FailoverError,
  type FailoverErrorKind,
  type OperationHandle,
  type ProviderIdentity,
  type ProviderKind,
  type Result,
  realTime,
  runPlan,
  type Time,
  type WaitOptions,
} from '@failover/core';
import { expect } from 'vitest';
import {
  call,
  conformanceCase,
  expectErr,
  expectOk,
  journalled,
  mutationCount,
  type Probe,
  resolveTimeouts,
  waitOptions,
} from './conformance-harness.js';
import type { ConformanceOptions, ConformanceSetup } from './conformance-options.js';

/**
 * The clock the kit runs the executor on: the provider's clock for reading time, real time
 * for the executor's own sleeps (its deadline watchdog), so a manual clock that jumps on each
 * adapter wait, or an auto-advancing virtual one, never fires a step deadline early. The run
 * ends long before a real-time deadline, and ending it cancels that sleep.
 */
export function executorTime(time: Time | undefined): Time {
  const clock = time ?? realTime;
  return { now: () => clock.now(), sleep: (ms, signal) => realTime.sleep(ms, signal) };
}

/** A desired state `ensure*` must refuse, and the kind it refuses with. */
export interface RefusalCase<D> {
  title: string;
  kind: Extract<FailoverErrorKind, 'invalid-input' | 'precondition-failed' | 'unsupported'>;
  desired(observed: unknown): D;
}

/** What the safety cases need of one suite: its calls, its main change, and its refusals. */
export interface SafetySubject<P extends ProviderIdentity<ProviderKind>, F, Op extends string, D> {
  operations: { observe: Op; ensure: Op; wait: Op };
  /** The optional pre-check method of the interface (`precheckRecordSet`, ...). */
  precheckName: 'precheckRecordSet' | 'precheckWriter' | 'precheckSize' | 'precheckResource';
  observe(
    setup: ConformanceSetup<P, F, Op>,
    options?: CallOptions,
  ): PromiseLike<Result<unknown, FailoverError>>;
  ensure(
    setup: ConformanceSetup<P, F, Op>,
    desired: D,
    options?: CallOptions,
  ): PromiseLike<Result<EnsureResult<unknown>, FailoverError>>;
  /** Undefined when the provider has no pre-check. */
  precheck:
    | ((
        setup: ConformanceSetup<P, F, Op>,
        desired: D,
        observed: unknown,
      ) => PromiseLike<Result<void, FailoverError>>)
    | undefined;
  wait(
    setup: ConformanceSetup<P, F, Op>,
    handle: OperationHandle,
    options: WaitOptions,
  ): PromiseLike<Result<unknown, FailoverError>>;
  /** The suite's main change, from the seeded state. */
  mainDesired(observed: unknown, fixture: F): D;
  /** Asserts the main change is in effect. */
  expectChanged(setup: ConformanceSetup<P, F, Op>, observed: unknown): void;
  /** The main change as an action of a plan, bound to the provider name `subject`; or why it cannot be. */
  step(fixture: F): ActionSpec | { skip: string };
  /** Desired states `ensure*` refuses (the kit's and the factory's). */
  refusals: RefusalCase<D>[];
}

/**
 * The safety cases every interface shares (issues 11 and 19):
 * - through the executor, a step whose desired state differs from the observed one
 *   never ends `succeeded` without a mutating call (counted with `onApiCall`), and a
 *   second run changes nothing;
 * - the optional pre-check refuses what `ensure*` refuses, with the same kind, first,
 *   and with no mutating call; it accepts the main change;
 * - an `ensure*` applied but whose answer was lost is, on retry, found in flight and
 *   waited on: never sent again, never a `conflict`.
 */
export function registerSafetyCases<
  P extends ProviderIdentity<ProviderKind>,
  F,
  Op extends string,
  D,
>(input: {
  options: ConformanceOptions<P, F, Op>;
  probe: Probe<P>;
  subject: SafetySubject<P, F, Op, D>;
  /** Why the main change cannot be tried (a capability is missing), if so. */
  changeSkip?: string | false | undefined;
}): void {
  const { options, probe: found, subject } = input;
  const timeouts = resolveTimeouts(options.timeouts);
  const ops = subject.operations;
  const changeSkip = input.changeSkip;
  const noCount = !found.mutatingCalls && 'setup() provides no mutatingCalls() hook';
  const noPrecheck =
    typeof (found.provider as Record<string, unknown>)[subject.precheckName] !== 'function' &&
    `the provider has no ${subject.precheckName} (optional): a dry-run cannot predict this refusal`;
  const step = subject.step(found.fixture as F);
  const stepSkip = 'skip' in step ? step.skip : false;

  const observe = async (setup: ConformanceSetup<P, F, Op>) =>
    expectOk(await call(setup.provider, ops.observe, () => subject.observe(setup)), ops.observe);

  conformanceCase(
    options,
    `a step whose desired state differs never ends succeeded without a mutating call (onApiCall), and a second run changes nothing`,
    changeSkip || stepSkip,
    async (setup) => {
      const action = subject.step(setup.fixture) as ActionSpec;
      const plan = definePlan({
        id: 'conformance-step',
        name: 'conformance step',
        sourceRegion: 'conformance-source',
        targetRegion: 'conformance-target',
        allowForcedWithoutApproval: true,
      })
        .step({ id: 'change', kind: 'action', action })
        .build();
      if (plan.isErr()) expect.fail(`the kit's plan is invalid: ${plan.error.message}`);
      const runOptions = {
        providers: { subject: setup.provider as never },
        time: executorTime(setup.time),
        defaultRetry: { maxAttempts: 1 },
      };
      const before = await mutationCount(setup);
      const run = await runPlan(plan.value, runOptions);
      if (run.isErr()) expect.fail(`runPlan failed: ${run.error.kind}: ${run.error.message}`);
      const result = run.value;
      expect(result.status, `the step ended ${result.status}: ${result.error?.message ?? ''}`).toBe(
        'succeeded',
      );
      expect(result.steps[0]!.changed, 'the step says it changed something').toBe(true);
      expect(
        result.report.apiCalls.total.mutatingApiCalls,
        'mutating API calls reported through onApiCall',
      ).toBeGreaterThan(0);
      if (found.mutatingCalls) {
        expect(await mutationCount(setup), 'mutating requests the backend received').toBeGreaterThan(before);
      }
      subject.expectChanged(setup, await observe(setup));

      const again = await runPlan(plan.value, runOptions);
      if (again.isErr()) expect.fail(`runPlan (again) failed: ${again.error.message}`);
      expect(again.value.status).toBe('succeeded');
      expect(again.value.steps[0]!.changed, 'the second run changes nothing').toBe(false);
      expect(again.value.report.apiCalls.total.mutatingApiCalls, 'mutating API calls of the second run').toBe(
        0,
      );
    },
  );

  conformanceCase(
    options,
    `${subject.precheckName} accepts the main change and makes no mutating call`,
    changeSkip || noPrecheck,
    async (setup) => {
      const observed = await observe(setup);
      const before = await mutationCount(setup);
      const desired = subject.mainDesired(observed, setup.fixture);
      expectOk(
        await call(setup.provider, subject.precheckName, () => subject.precheck!(setup, desired, observed)),
        `${subject.precheckName} of the main change`,
      );
      expect(await mutationCount(setup), `mutating calls of ${subject.precheckName}`).toBe(before);
    },
  );

  for (const refusal of subject.refusals) {
    conformanceCase(
      options,
      `${subject.precheckName} refuses ${refusal.title} with ${refusal.kind} before ${ops.ensure} does, with no mutating call`,
      noPrecheck,
      async (setup) => {
        const observed = await observe(setup);
        const desired = refusal.desired(observed);
        const before = await mutationCount(setup);
        expectErr(
          await call(setup.provider, subject.precheckName, () => subject.precheck!(setup, desired, observed)),
          refusal.kind,
          `${subject.precheckName} of ${refusal.title}`,
        );
        expect(await mutationCount(setup), `mutating calls of ${subject.precheckName}`).toBe(before);
        expectErr(
          await call(setup.provider, ops.ensure, () => subject.ensure(setup, desired)),
          refusal.kind,
          `${ops.ensure} of ${refusal.title}`,
        );
        expect(await mutationCount(setup), `mutating calls of the refused ${ops.ensure}`).toBe(before);
      },
    );
  }

  conformanceCase(
    options,
    `an ${ops.ensure} applied but whose answer was lost is found in flight on retry and waited on: never sent again, never a conflict`,
    changeSkip || (!found.loseAnswer && 'setup() provides no faults.loseAnswer hook') || noCount,
    async (setup) => {
      const observed = await observe(setup);
      const desired = subject.mainDesired(observed, setup.fixture);
      await setup.faults!.loseAnswer!(ops.ensure);
      const before = await mutationCount(setup);
      const first = await call(setup.provider, ops.ensure, () => subject.ensure(setup, desired));
      const applied = await mutationCount(setup);
      expect(applied, `the first ${ops.ensure} reached the backend and was applied`).toBeGreaterThan(before);
      if (first.isErr()) {
        expect(first.error.kind, `a lost answer is not a ${first.error.kind}`).not.toBe('conflict');
        expect(first.error.retryable, `a lost answer is retryable: ${first.error.message}`).toBe(true);
      }
      const retried = expectOk(
        await call(setup.provider, ops.ensure, () => subject.ensure(setup, desired)),
        `${ops.ensure} retried after the lost answer (it must wait on the operation in flight, not conflict)`,
      );
      expect(await mutationCount(setup), `the retry sent no second mutating request`).toBe(applied);
      if (retried.handle) {
        const handle = journalled(retried.handle, setup.provider);
        await setup.finishOperations?.();
        expectOk(
          await call(setup.provider, ops.wait, () => subject.wait(setup, handle, waitOptions(timeouts))),
          `${ops.wait} on the operation in flight`,
        );
      }
      subject.expectChanged(setup, await observe(setup));
      expect(await mutationCount(setup), 'mutating requests in all').toBe(applied);
    },
  );
}
