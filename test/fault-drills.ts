// The example drills under injected faults: shared by test/fault-profiles.test.ts (a few
// seeds, in CI) and bench/faults.ts (20 seeds per profile). Each drill runs in this
// process, as `failover drill` does: the example's providers module on an embedded
// emulator seeded with its world, the plan on the emulator's clock, with every
// service answering the profile's faults at the given rate.
import type { ProvidersFactory } from '@failover/cli';
import {
  approveSteps,
  type FailoverPlan,
  type PlanBuilder,
  type ProviderRegistry,
  type RunResult,
  runPlan,
} from '@failover/core';
import {
  createDeterministicClock,
  type Emulator,
  type EmulatorSeed,
  type FaultProfile,
  faultProfileRules,
  type RequestLogEntry,
  startEmulator,
} from '@failover/emulator';
import auroraPlan, { forcedPlan as auroraForcedPlan } from '../examples/aws-aurora-route53/plan.js';
import auroraProviders, { seed as auroraSeed } from '../examples/aws-aurora-route53/providers.js';
import multiCloudPlan from '../examples/multi-cloud/plan.js';
import multiCloudProviders, { seed as multiCloudSeed } from '../examples/multi-cloud/providers.js';

/** One example drill: its plan, its providers module and world, and the approvals it is given. */
export interface ExampleDrill {
  name: string;
  plan: FailoverPlan;
  providers: ProvidersFactory;
  seed: EmulatorSeed;
  approve: readonly string[];
}

/** The plan as data; `runPlan` validates it. */
function built(builder: PlanBuilder | FailoverPlan): FailoverPlan {
  return 'toPlan' in builder ? builder.toPlan() : builder;
}

/**
 * Every example drilled on the emulator (as test/examples.test.ts drills them). Not here:
 * the simulator drill (no emulator to fault) and plan-unit-test, whose emulator providers
 * are for its dry-run.
 */
export const exampleDrills: readonly ExampleDrill[] = [
  {
    name: 'aws-aurora-route53 (planned)',
    plan: built(auroraPlan),
    providers: auroraProviders as ProvidersFactory,
    seed: auroraSeed,
    approve: [],
  },
  {
    name: 'aws-aurora-route53 (forced)',
    plan: built(auroraForcedPlan),
    providers: auroraProviders as ProvidersFactory,
    seed: auroraSeed,
    approve: ['approve-data-loss'],
  },
  {
    name: 'multi-cloud',
    plan: built(multiCloudPlan),
    providers: multiCloudProviders as ProvidersFactory,
    seed: multiCloudSeed,
    approve: [],
  },
];

/** What one drill under faults came to. */
export interface FaultDrillOutcome {
  drill: string;
  profile: FaultProfile | 'none';
  seed: number;
  /** The run succeeded and a fault-free dry-run afterwards finds nothing left to change. */
  completed: boolean;
  status: RunResult['status'] | 'error';
  /** Steps still differing from the plan after the run (fault-free dry-run), by step id. */
  notInDesiredState: string[];
  /** Mutations applied more often than in a fault-free run of the same drill: `service operation path` x count. */
  appliedTwice: string[];
  faultsInjected: number;
  requests: number;
  /** The run's RTO on the emulator clock. */
  rtoMs: number | undefined;
  /** Why it failed, when it did: the first failed step and its error. */
  failure?: string;
}

export interface FaultDrillOptions {
  profile: FaultProfile | 'none';
  rate: number;
  seed: number;
  /** Emulator time per real time, or `deterministic`: the drill's default clock (see `drillEmulator`). */
  timeScale: DrillTimeScale;
  /** Mutations a fault-free run of this drill applies (from `appliedMutations`), to find doubles. */
  baseline?: ReadonlyMap<string, number>;
}

/** Emulator time per real time, or the deterministic clock `failover drill` runs on by default. */
export type DrillTimeScale = number | 'deterministic';

/**
 * The drill's emulator, seeded with its world. On `deterministic`, it runs on the clock
 * `failover drill` uses by default: time moves only while this process is idle, so the
 * drill waits no wall-clock time and its timeline does not stretch on a busy machine.
 * `stop()` stops it and lets go of that clock.
 */
async function drillEmulator(
  seed: EmulatorSeed,
  timeScale: DrillTimeScale,
  randomSeed?: number,
): Promise<{ emulator: Emulator; stop: () => Promise<void> }> {
  const deterministic =
    timeScale === 'deterministic' ? createDeterministicClock({ watchProcess: true }) : undefined;
  const emulator = await startEmulator({
    seed: structuredClone(seed),
    ...(deterministic ? { clock: deterministic } : { timeScale: timeScale as number }),
    ...(randomSeed !== undefined && { randomSeed }),
  });
  const stop = async () => {
    await emulator.stop();
    deterministic?.dispose();
  };
  return { emulator, stop };
}

/** Applied mutations by `service operation path`: answered 2xx, or applied and answered 500. */
export function appliedMutations(entries: readonly RequestLogEntry[]): Map<string, number> {
  const applied = new Map<string, number>();
  for (const entry of entries) {
    if (!entry.mutating) continue;
    const took =
      entry.fault === 'applied-then-500'
        ? (entry.appliedStatus ?? 500) < 300
        : entry.status >= 200 && entry.status < 300;
    if (!took) continue;
    const key = `${entry.service} ${entry.operation} ${entry.path}`;
    applied.set(key, (applied.get(key) ?? 0) + 1);
  }
  return applied;
}

/** Runs one drill under a fault profile and checks its end state and its request log. */
export async function runFaultDrill(
  drill: ExampleDrill,
  options: FaultDrillOptions,
): Promise<FaultDrillOutcome> {
  const { emulator, stop } = await drillEmulator(drill.seed, options.timeScale, options.seed);
  try {
    const providers: ProviderRegistry = await drill.providers({
      emulator: { url: emulator.url, clock: emulator.clock },
    });
    const time = emulator.clock;
    await warmUp(drill, providers, time);
    if (options.profile !== 'none')
      for (const rule of faultProfileRules(options.profile, options.rate)) emulator.faults.add(rule);
    const outcome = await runPlan(drill.plan, {
      providers,
      time,
      approver: approveSteps(drill.approve),
      random: seeded(options.seed),
    });
    emulator.faults.clear();
    const entries = emulator.requests.list();
    const faultsInjected = entries.filter((entry) => entry.fault !== undefined).length;
    const applied = appliedMutations(entries);
    const appliedTwice = options.baseline
      ? [...applied]
          .filter(([key, count]) => count > (options.baseline!.get(key) ?? 0))
          .map(([key, count]) => `${key} x${count}`)
      : [];
    if (outcome.isErr()) {
      return {
        drill: drill.name,
        profile: options.profile,
        seed: options.seed,
        completed: false,
        status: 'error',
        notInDesiredState: [],
        appliedTwice,
        faultsInjected,
        requests: entries.length,
        rtoMs: undefined,
        failure: outcome.error.message,
      };
    }
    const run = outcome.value;
    // The end state, observed by the adapters themselves with no faults: nothing left to change.
    const check = await runPlan(drill.plan, { providers, time, dryRun: true });
    const notInDesiredState = check.isOk()
      ? Object.entries(check.value.diffs ?? {})
          .filter(([, diff]) => (diff as { wouldChange?: boolean }).wouldChange === true)
          .map(([stepId]) => stepId)
      : ['(dry-run failed)'];
    const failed = run.steps.find((step) => step.status === 'failed');
    return {
      drill: drill.name,
      profile: options.profile,
      seed: options.seed,
      completed: run.status === 'succeeded' && notInDesiredState.length === 0 && appliedTwice.length === 0,
      status: run.status,
      notInDesiredState,
      appliedTwice,
      faultsInjected,
      requests: entries.length,
      rtoMs: run.report.rto.achievedMs ?? undefined,
      ...(failed && { failure: `${failed.stepId}: ${failed.error?.kind}: ${failed.error?.message}` }),
    };
  } finally {
    await stop();
  }
}

/** The applied mutations of a fault-free run of `drill`: the baseline for "applied twice". */
export async function baselineOf(
  drill: ExampleDrill,
  timeScale: DrillTimeScale,
): Promise<Map<string, number>> {
  const { emulator, stop } = await drillEmulator(drill.seed, timeScale);
  try {
    const providers = await drill.providers({ emulator: { url: emulator.url, clock: emulator.clock } });
    await warmUp(drill, providers, emulator.clock);
    const run = await runPlan(drill.plan, {
      providers,
      time: emulator.clock,
      approver: approveSteps(drill.approve),
    });
    if (run.isErr() || run.value.status !== 'succeeded') {
      const failed = run.isOk() ? run.value.steps.find((step) => step.status === 'failed') : undefined;
      const why = run.isErr() ? run.error.message : `${failed?.stepId}: ${failed?.error?.message}`;
      throw new Error(`The fault-free drill ${drill.name} did not succeed: ${why}`);
    }
    return appliedMutations(emulator.requests.list());
  } finally {
    await stop();
  }
}

/**
 * As `failover drill` does: an observe-only pass first, so the SDK clients' set-up is not
 * drill time. One step at a time: the adapters import their SDKs lazily, and vitest's
 * module runner can race when concurrent steps first import modules that share imports.
 */
async function warmUp(
  drill: ExampleDrill,
  providers: ProviderRegistry,
  time: Emulator['clock'],
): Promise<void> {
  await runPlan(drill.plan, { providers, time, dryRun: true, concurrency: 1 });
}

/** A small seeded PRNG (mulberry32) for the executor's jitter. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
