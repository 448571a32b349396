import { describe, expect, it } from 'vitest';
import { createVirtualTime } from '../time/virtual-time.js';
import type { DurableCalls, RecordedCall } from './durable-calls.js';
import { runPlan } from './run-plan.js';
import {
  fakeCluster,
  fakeDatabase,
  fakeDns,
  nodePool,
  twoRegionDatabase,
  weightedRecord,
} from './test-support/fake-providers.js';
import { dbSwitch, dnsSwitch, scaleTo, testPlan } from './test-support/test-plans.js';

function cloud() {
  const time = createVirtualTime();
  const dns = fakeDns(time, [weightedRecord('api.example.com')], { propagationMs: 30_000 });
  const db = fakeDatabase(time, [twoRegionDatabase('orders', 'us-east-1', 'eu-west-1')], {
    failoverMs: 60_000,
  });
  const k8s = fakeCluster(time, [nodePool('eu', 'workers', 2)], { scaleMs: 120_000 });
  return { time, dns, db, k8s, providers: { dns, db, k8s } };
}

const plan = testPlan([
  scaleTo('scale', 6),
  dnsSwitch('switch', 'api.example.com', { dependsOn: ['scale'] }),
  dbSwitch('promote', { dependsOn: ['switch'] }),
]);

/**
 * An engine's journal of calls, as Restate keeps it: the first `replayable` outcomes are
 * handed back in order without calling; past them, calls are made and recorded.
 */
function engineJournal(recorded: { name: string; outcome: RecordedCall }[], replayable = recorded.length) {
  let next = 0;
  const made: string[] = [];
  const durable: DurableCalls = {
    async record(name, call) {
      const index = next++;
      if (index < replayable) {
        expect(recorded[index]?.name).toBe(name); // replayed in the order they were made
        return structuredClone(recorded[index]!.outcome);
      }
      made.push(name);
      const outcome = structuredClone(await call());
      recorded[index] = { name, outcome };
      return outcome;
    },
  };
  return { durable, made };
}

describe('runPlan with durableCalls', () => {
  it('replays a finished run from its recorded calls without calling a provider, with the same counts', async () => {
    const first = cloud();
    const recorded: { name: string; outcome: RecordedCall }[] = [];
    const live = engineJournal(recorded, 0);
    const ran = (
      await runPlan(plan, {
        providers: first.providers,
        time: first.time,
        runId: 'r',
        durableCalls: live.durable,
      })
    )._unsafeUnwrap();
    expect(ran.status).toBe('succeeded');
    expect(live.made.length).toBeGreaterThan(3);

    const again = cloud(); // a fresh world: any call it receives would show in its logs
    const replay = engineJournal(recorded);
    const replayed = (
      await runPlan(plan, {
        providers: again.providers,
        time: again.time,
        runId: 'r',
        durableCalls: replay.durable,
      })
    )._unsafeUnwrap();

    expect(replayed.status).toBe('succeeded');
    expect(replay.made).toEqual([]);
    expect([...again.dns.log, ...again.db.log, ...again.k8s.log]).toEqual([]);
    expect(ran.report.apiCalls.total.apiCalls).toBeGreaterThan(3);
    expect(replayed.report.apiCalls).toEqual(ran.report.apiCalls);
    expect(replayed.steps.map((step) => [step.stepId, step.status, step.changed])).toEqual(
      ran.steps.map((step) => [step.stepId, step.status, step.changed]),
    );
  });

  it('after a crash, makes only the calls that were not recorded, and the lost promotion is not applied twice', async () => {
    const world = cloud();
    const recorded: { name: string; outcome: RecordedCall }[] = [];
    await runPlan(plan, {
      providers: world.providers,
      time: world.time,
      runId: 'r',
      durableCalls: engineJournal(recorded, 0).durable,
    });
    const ensureAt = recorded.findIndex((entry) => entry.name === 'db.ensureWriter');
    expect(ensureAt).toBeGreaterThan(0);

    // The worker died while the promotion's answer was on its way: everything before it replays,
    // the promotion is made again against the world that already applied it.
    const kept = recorded.slice(0, ensureAt);
    const resumed = engineJournal(kept, ensureAt);
    const result = (
      await runPlan(plan, {
        providers: world.providers,
        time: world.time,
        runId: 'r',
        durableCalls: resumed.durable,
      })
    )._unsafeUnwrap();

    expect(result.status).toBe('succeeded');
    expect(resumed.made[0]).toBe('db.ensureWriter');
    expect(resumed.made).not.toContain('dns.ensureRecordSet');
    // The world had applied it: the second ensureWriter observed the new writer and changed nothing.
    const again = kept[ensureAt]!.outcome;
    expect(again).toMatchObject({ ok: true, value: { changed: false } });
  });
});
