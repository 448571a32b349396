// Every example drill completes under 20 % injected faults of each profile, on every
// service: the run succeeds, the adapters then observe nothing left to change, and no
// mutation is applied more often than in a fault-free run (the emulator's request log,
// where an applied-then-500 counts as applied). One seed per profile here; bench/faults.ts
// runs 20 per profile.
import { type FaultProfile, faultProfiles } from '@failover/emulator';
import { beforeAll, describe, expect, it } from 'vitest';
import { baselineOf, exampleDrills, type FaultDrillOutcome, runFaultDrill } from './fault-drills.js';

// As test/examples.test.ts drills (120x). The drills run on a scaled wall clock, so a few at a
// time only: a starved process stretches the emulated timeline (see test/examples.test.ts).
const timeScale = 120;
const parallel = 4;
const seeds = [1];
const rate = 0.2;

/** Runs `jobs` with at most `limit` at once, results in order. */
async function pool<T>(jobs: ReadonlyArray<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await jobs[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

const outcomes = new Map<FaultProfile, FaultDrillOutcome[]>();
beforeAll(async () => {
  const baselines = await pool(
    exampleDrills.map((drill) => () => baselineOf(drill, timeScale)),
    parallel,
  );
  const runs = faultProfiles.flatMap((profile) =>
    seeds.flatMap((seed) =>
      exampleDrills.map((drill, index) => async () => {
        const outcome = await runFaultDrill(drill, {
          profile,
          rate,
          seed,
          timeScale,
          baseline: baselines[index]!,
        });
        outcomes.set(profile, [...(outcomes.get(profile) ?? []), outcome]);
      }),
    ),
  );
  await pool(runs, parallel);
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
