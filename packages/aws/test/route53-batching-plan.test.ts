import { type FailoverPlan, runPlan } from '@failover/core';
import type { Emulator, RecordSetSeed } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { awsOn, awsWorld, startAwsEmulator, zoneId } from './aws-emulator.js';

let emulator: Emulator;
afterEach(async () => {
  expect(emulator.requests.list().filter((entry) => entry.internalError)).toEqual([]);
  await emulator.stop();
});

const nameOf = (index: number) => `app-${index}.ecommerce.com`;

/** The seed world plus `count` weighted names, all traffic on `east`. */
function world(count: number) {
  const base = awsWorld();
  const zone = base.route53!.hostedZones![0]!;
  const extra: RecordSetSeed[] = Array.from({ length: count }, (_, index) => [
    { name: nameOf(index), type: 'A', ttl: 60, values: ['192.0.2.1'], setIdentifier: 'east', weight: 100 },
    { name: nameOf(index), type: 'A', ttl: 60, values: ['198.51.100.1'], setIdentifier: 'west', weight: 0 },
  ]).flat();
  return {
    ...base,
    route53: { ...base.route53, hostedZones: [{ ...zone, recordSets: [...zone.recordSets!, ...extra] }] },
  };
}

/** One parallel group switching `count` names of the zone to `west`. */
function fleetPlan(count: number): FailoverPlan {
  return {
    version: 1,
    id: 'fleet',
    name: `${count} names`,
    sourceRegion: 'us-east-1',
    targetRegion: 'us-west-2',
    steps: [
      {
        id: 'switch',
        kind: 'group',
        mode: 'parallel',
        steps: Array.from({ length: count }, (_, index) => ({
          id: `s${index}`,
          kind: 'action' as const,
          action: {
            type: 'dns' as const,
            provider: 'dns',
            record: { zone: zoneId, name: nameOf(index), type: 'A' },
            desired: { activeTarget: 'west' },
          },
        })),
      },
    ],
  };
}

describe('Route 53 batching through the executor', () => {
  it('a plan that switches 50 names in one zone succeeds with one ChangeResourceRecordSets', async () => {
    // The executor sleeps concurrently (deadlines beside polls): a scaled clock, not a manual one;
    // a low scale, so the real milliseconds of its HTTP requests stay small in emulator time.
    emulator = await startAwsEmulator(world(50), undefined, 50);
    const result = (
      await runPlan(fleetPlan(50), {
        providers: { dns: awsOn(emulator).dnsProvider() },
        time: emulator.clock,
      })
    )._unsafeUnwrap();
    expect(result.status, result.error?.message).toBe('succeeded');
    expect(result.steps.filter((step) => step.changed)).toHaveLength(50);
    const changes = emulator.requests.list({ operation: 'ChangeResourceRecordSets' });
    expect(changes.map((entry) => entry.status)).toEqual([200]);
    expect(emulator.requests.count({ operation: 'GetChange' })).toBeLessThanOrEqual(6);
    // One scan of the zone each for the pre-check pass, the steps and the batch (observeRecordSets,
    // and the batch's own reads coalesced); the pre-checks plan on what those scans observed.
    expect(emulator.requests.count({ operation: 'ListResourceRecordSets' })).toBe(3);
  });

  it('on the worst day (reads and the change throttled, the change applied and its answer lost) no step fails and nothing is sent twice', async () => {
    emulator = await startAwsEmulator(world(50), undefined, 50);
    emulator.faults.add({ fault: 'throttle', operation: 'ListResourceRecordSets', times: 2 });
    emulator.faults.add({ fault: 'throttle', operation: 'ChangeResourceRecordSets', times: 1 });
    emulator.faults.add({ fault: 'applied-then-500', operation: 'ChangeResourceRecordSets', times: 1 });
    const result = (
      await runPlan(fleetPlan(50), {
        providers: { dns: awsOn(emulator).dnsProvider() },
        time: emulator.clock,
      })
    )._unsafeUnwrap();
    expect(result.status, result.error?.message).toBe('succeeded');
    expect(result.steps.filter((step) => step.status !== 'succeeded')).toEqual([]);
    expect(result.steps.filter((step) => step.changed)).toHaveLength(50);
    // Throttled (refused, so sent again), then applied with its answer lost: found applied, not re-sent.
    const changes = emulator.requests.list({ operation: 'ChangeResourceRecordSets' });
    expect(changes.map((entry) => entry.status)).toEqual([400, 500]);
    expect(
      emulator.requests
        .list({ operation: 'ListResourceRecordSets' })
        .slice(0, 2)
        .map((e) => e.status),
    ).toEqual([400, 400]);
  });
});
