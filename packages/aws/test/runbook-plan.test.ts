import { type FailoverError, type FailoverPlan, type Result, runPlan, writerRegion } from '@failover/core';
import type { Emulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { awsOn, mutations, startAwsEmulator, zoneId } from './aws-emulator.js';

let emulator: Emulator;
afterEach(async () => {
  expect(emulator.requests.list().filter((entry) => entry.internalError)).toEqual([]);
  await emulator.stop();
});

// The AWS steps of the seed runbook as a plan, run by the core executor on the real adapters,
// on a clock 1000 times faster than real time (the executor sleeps concurrently).
const plan: FailoverPlan = {
  version: 1,
  id: 'ecommerce-aws-dr',
  name: 'E-commerce regional failover (AWS)',
  sourceRegion: 'us-east-1',
  targetRegion: 'us-west-2',
  steps: [
    {
      id: 'promote-db',
      kind: 'action',
      action: {
        type: 'database',
        provider: 'aurora',
        database: { id: 'ecommerce-global' },
        region: 'us-west-2',
        mode: 'planned',
      },
    },
    {
      id: 'scale-dr',
      kind: 'action',
      dependsOn: ['promote-db'],
      action: {
        type: 'scale',
        provider: 'eks',
        pool: { cluster: 'ecommerce-prod', pool: 'primary', region: 'us-west-2' },
        min: 3,
        desired: 6,
      },
    },
    {
      id: 'switch-api',
      kind: 'action',
      dependsOn: ['scale-dr'],
      action: {
        type: 'dns',
        provider: 'route53',
        record: { zone: zoneId, name: 'api.ecommerce.com', type: 'A' },
        desired: { activeTarget: 'secondary' },
      },
    },
  ],
};

function providers() {
  const aws = awsOn(emulator);
  return { aurora: aws.databaseFailover(), eks: aws.clusterScaler(), route53: aws.dnsProvider() };
}

describe('the runbook as a plan on the AWS adapters', () => {
  it('dry-run observes every step and makes zero mutating calls', async () => {
    emulator = await startAwsEmulator(undefined, undefined, 1_000);
    const result = unwrap(
      await runPlan(plan, { providers: providers(), time: emulator.clock, dryRun: true }),
    );
    expect(result.status, JSON.stringify(result.error)).toBe('succeeded');
    expect(Object.keys(result.diffs ?? {}).sort()).toEqual(['promote-db', 'scale-dr', 'switch-api']);
    expect(emulator.requests.count()).toBeGreaterThan(0);
    expect(mutations(emulator)).toBe(0);
  });

  it('a run moves the writer, scales the standby and swaps the record; a second run changes nothing', async () => {
    emulator = await startAwsEmulator(undefined, undefined, 1_000);
    const result = unwrap(await runPlan(plan, { providers: providers(), time: emulator.clock }));
    expect(result.status, JSON.stringify(result.error)).toBe('succeeded');
    expect(result.steps.map((step) => [step.stepId, step.changed])).toEqual([
      ['promote-db', true],
      ['scale-dr', true],
      ['switch-api', true],
    ]);
    expect(mutations(emulator)).toBe(3);
    const { aurora, eks, route53 } = providers();
    expect(writerRegion((await aurora.describe({ id: 'ecommerce-global' }))._unsafeUnwrap())).toBe(
      'us-west-2',
    );
    expect(
      (
        await eks.describePool({ cluster: 'ecommerce-prod', pool: 'primary', region: 'us-west-2' })
      )._unsafeUnwrap(),
    ).toMatchObject({ desired: 6, ready: 6 });
    const record = (
      await route53.getRecordSet({ zone: zoneId, name: 'api.ecommerce.com', type: 'A' })
    )._unsafeUnwrap();
    expect(record.targets.find((target) => target.priority === 1)?.id).toBe('secondary');

    const again = unwrap(await runPlan(plan, { providers: providers(), time: emulator.clock }));
    expect(again.status).toBe('succeeded');
    expect(again.steps.every((step) => !step.changed)).toBe(true);
    expect(mutations(emulator)).toBe(3);
  });
});

function unwrap<T>(result: Result<T, FailoverError>): T {
  if (result.isErr()) throw new Error(`runPlan failed: ${result.error.kind}: ${result.error.message}`);
  return result.value;
}
