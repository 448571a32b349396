// A failback plan is idempotent: run again once it is done, or after a failback that stopped
// at 50 %, its canary stages never move traffic back towards the DR region. On the emulator,
// through the real Route 53, Traffic Manager and Cloud DNS clients, counting the mutating
// calls in the emulator's request log.
import {
  createMemoryJournal,
  failbackPlan,
  type ProviderRegistry,
  type RunResult,
  runPlan,
  trafficShares,
} from '@failover/core';
import { type Emulator, startEmulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { changedSteps } from './changed-steps.js';
import { mutatingSince } from './mutating-since.js';
import {
  weightedFailover,
  weightedProviders,
  weightedRecords,
  weightedSeed,
} from './weighted-multi-cloud.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

/** Each service's share of the traffic on its original (east) target, percent. */
async function eastShares(providers: ProviderRegistry): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { provider, record, east } of weightedRecords) {
    const dns = providers[provider] as Extract<ProviderRegistry[string], { kind: 'dns' }>;
    out[provider] = trafficShares((await dns.getRecordSet(record))._unsafeUnwrap())[east] ?? 0;
  }
  return out;
}
const all = (percent: number) =>
  Object.fromEntries(weightedRecords.map(({ provider }) => [provider, percent]));

async function failedOver() {
  emulator = await startEmulator({ seed: weightedSeed, timeScale: 240 });
  const world = emulator;
  const providers = weightedProviders(world);
  const journal = createMemoryJournal();
  const failover = (
    await runPlan(weightedFailover, { providers, time: world.clock, journal })
  )._unsafeUnwrap();
  expect(failover.status).toBe('succeeded');
  expect(await eastShares(providers)).toEqual(all(0));
  const generate = () =>
    failbackPlan(weightedFailover, {
      providers,
      journal: journal.entries,
      stableForMs: 0,
      soakMs: 60_000,
    })._unsafeUnwrap().plan;
  return { world, providers, generate };
}

const stageSteps = (run: RunResult, percent: number) =>
  run.steps.filter((step) => step.stepId.endsWith(`-to-${percent}`));

describe('re-running a failback changes nothing it has already reached', () => {
  it('after a finished failback: dry-run lists no change, and a run makes no mutating call', async () => {
    const { world, providers, generate } = await failedOver();
    const plan = generate();
    const first = (await runPlan(plan, { providers, time: world.clock }))._unsafeUnwrap();
    expect(first.status).toBe('succeeded');
    expect(await eastShares(providers)).toEqual(all(100));

    const dry = (await runPlan(plan, { providers, time: world.clock, dryRun: true }))._unsafeUnwrap();
    expect(dry.status).toBe('succeeded');
    expect(changedSteps(dry)).toEqual([]);

    const seq = world.requests.total;
    const again = (await runPlan(plan, { providers, time: world.clock }))._unsafeUnwrap();
    expect(again.status).toBe('succeeded');
    expect(mutatingSince(world, seq)).toEqual([]);
    expect(await eastShares(providers)).toEqual(all(100));
    // The canary stages say why they left the weights: the traffic is already beyond them.
    for (const percent of [10, 50]) {
      const steps = stageSteps(again, percent);
      expect(steps).toHaveLength(weightedRecords.length);
      for (const step of steps) {
        expect(step.changed, step.stepId).toBe(false);
        expect(step.evidence, step.stepId).toMatchObject({
          type: 'weights-already-advanced',
          observedPercent: 100,
          stagePercent: percent,
        });
      }
    }
  });

  it('after a failback stopped at 50 %: a regenerated plan never sends traffic below 50 %', async () => {
    const { world, providers, generate } = await failedOver();
    // The first failback is cancelled while the 50 % stage soaks (a cancelled run rolls nothing back).
    const cancel = new AbortController();
    const stopped = (
      await runPlan(generate(), {
        providers,
        time: world.clock,
        abortSignal: cancel.signal,
        onEvent(event) {
          if (event.type === 'step-start' && event.stepId === 'soak-50') cancel.abort();
        },
      })
    )._unsafeUnwrap();
    expect(stopped.status).toBe('cancelled');
    expect(await eastShares(providers)).toEqual(all(50));

    // A new failback plan, run from the start (not a resume).
    // Its dry-run predicts the run: only the last stage changes, and it sends no change itself.
    const dryFrom = world.requests.total;
    const dry = (await runPlan(generate(), { providers, time: world.clock, dryRun: true }))._unsafeUnwrap();
    const lastStage = weightedRecords.map(({ provider }) => `shift-${provider}-to-100`);
    expect(changedSteps(dry)).toEqual(lastStage);
    expect(mutatingSince(world, dryFrom)).toEqual([]);
    const seen: Array<{ stepId: string; shares: Record<string, number> }> = [];
    const reads: Promise<void>[] = [];
    const seq = world.requests.total;
    let beforeLastStage: number | undefined;
    const again = (
      await runPlan(generate(), {
        providers,
        time: world.clock,
        onEvent(event) {
          if (event.type === 'step-start' && event.stepId.endsWith('-to-100'))
            beforeLastStage ??= world.requests.total;
          // Read the weights as each soak begins: what users get during that stage.
          if (event.type === 'step-start' && event.stepId.startsWith('soak-'))
            reads.push(
              eastShares(providers).then((shares) => void seen.push({ stepId: event.stepId, shares })),
            );
        },
      })
    )._unsafeUnwrap();
    await Promise.all(reads);
    expect(again.status).toBe('succeeded');
    expect(await eastShares(providers)).toEqual(all(100));
    expect(seen).toEqual([
      { stepId: 'soak-10', shares: all(50) },
      { stepId: 'soak-50', shares: all(50) },
      { stepId: 'soak-100', shares: all(100) },
    ]);
    // The 10 % and 50 % stages made no call that changes anything; the first mutating call
    // belongs to the last stage, and the weights never went below 50 % on the way.
    for (const percent of [10, 50])
      for (const step of stageSteps(again, percent)) expect(step.changed, step.stepId).toBe(false);
    expect(again.steps.filter((step) => step.changed).map((step) => step.stepId)).toEqual(lastStage);
    const mutating = mutatingSince(world, seq);
    expect(mutating.length).toBeGreaterThan(0);
    expect(beforeLastStage).toBeDefined();
    expect(mutating.filter((entry) => entry.seq <= beforeLastStage!).map((entry) => entry.operation)).toEqual(
      [],
    );
  });
});

describe('a canary stage whose answer was lost', () => {
  it('finds its own change on the retry: not sent again, still changed, and undone by the rollback', async () => {
    const { world, providers, generate } = await failedOver();
    const route53 = weightedRecords[0]!;
    // The 10 % stage's change is applied, and its answer lost (a 500).
    world.faults.add({ fault: 'applied-then-500', operation: 'ChangeResourceRecordSets', times: 1 });
    const failing = generate();
    // A canary check that fails after the 10 % soak: the TTL is 60 s, not <= 1 s.
    const withCheck = {
      ...failing,
      steps: failing.steps.map((step) =>
        step.id === 'canary-10' && step.kind === 'group'
          ? {
              ...step,
              steps: [
                ...step.steps,
                {
                  id: 'canary-10-check-1',
                  kind: 'check' as const,
                  check: {
                    type: 'dns-ttl' as const,
                    provider: route53.provider,
                    record: route53.record,
                    maxTtl: 1,
                  },
                },
              ],
            }
          : step,
      ),
    };
    const seq = world.requests.total;
    const run = (await runPlan(withCheck, { providers, time: world.clock }))._unsafeUnwrap();
    expect(run.status).toBe('rolled-back');
    const step = run.steps.find((result) => result.stepId === `shift-${route53.provider}-to-10`)!;
    expect(step.changed).toBe(true);
    expect(step.evidence).toBeUndefined();
    expect(run.rollback?.steps.find((undo) => undo.stepId === step.stepId)?.status).toBe('rolled-back');
    // Sent once (lost answer), never re-sent, then once more by the rollback.
    const changes = mutatingSince(world, seq).filter(
      (entry) => entry.operation === 'ChangeResourceRecordSets',
    );
    expect(changes.map((entry) => entry.fault ?? 'ok')).toEqual(['applied-then-500', 'ok']);
    expect(await eastShares(providers)).toEqual(all(0));
  });
});
