// Every example drill completes under 20 % injected faults of each profile, on every
// service: the run succeeds, the adapters then observe nothing left to change, and no
// mutation is applied more often than in a fault-free run (the emulator's request log,
// where an applied-then-500 counts as applied). One seed per profile here; bench/faults.ts
// runs 20 per profile.
import { type FaultProfile, faultProfiles } from '@failover/emulator';
import { beforeAll, describe, expect, it } from 'vitest';
import { baselineOf, exampleDrills, type FaultDrillOutcome, runFaultDrill } from './fault-drills.js';

// On the deterministic clock, as `failover drill` runs by default: time moves only while this
// process is idle, so no drill waits for wall-clock time and a busy machine stretches no
// timeline. One drill at a time: side by side in one process, each drill's requests hold
// the others' clocks (slower in all), and vitest's module runner can race when concurrent
// drills first import the SDKs they load lazily.
const timeScale = 'deterministic';
const seeds = [1];
const rate = 0.2;

const outcomes = new Map<FaultProfile, FaultDrillOutcome[]>();
beforeAll(async () => {
  const baselines: Awaited<ReturnType<typeof baselineOf>>[] = [];
  for (const drill of exampleDrills) baselines.push(await baselineOf(drill, timeScale));
  for (const profile of faultProfiles)
    for (const seed of seeds)
      for (const [index, drill] of exampleDrills.entries()) {
        const outcome = await runFaultDrill(drill, {
          profile,
          rate,
          seed,
          timeScale,
          baseline: baselines[index]!,
        });
        outcomes.set(profile, [...(outcomes.get(profile) ?? []), outcome]);
      }
}, 120_000);

describe('example drills under 20 % faults on every service', () => {
  it.each(faultProfiles.map((profile) => [profile]))(
    '%s: every drill completes, in the desired state, no mutation applied twice',
    (profile: FaultProfile) => {
      const ran = outcomes.get(profile) ?? [];
      expect(ran).toHaveLength(exampleDrills.length * seeds.length);
      for (const outcome of ran) {
        const what = `${outcome.drill}, seed ${outcome.seed}: ${outcome.failure ?? ''}`;
        expect(outcome.faultsInjected, what).toBeGreaterThan(0);
        expect(outcome.status, what).toBe('succeeded');
        expect(outcome.notInDesiredState, what).toEqual([]);
        expect(outcome.appliedTwice, what).toEqual([]);
        expect(outcome.completed, what).toBe(true);
      }
    },
  );
});
