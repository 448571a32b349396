import { createVirtualTime, definePlan, resource, runPlan, validatePlan } from '@failover/core';
import { describe, expect, it } from 'vitest';
import { mockResourceProvider } from '../src/index.js';

const flag = { flag: 'checkout-region' };
const planOf = (...steps: Parameters<ReturnType<typeof definePlan>['step']>) =>
  definePlan({ id: 'm', name: 'm', sourceRegion: 'a', targetRegion: 'b' })
    .step(...steps)
    .toPlan();

describe('mockResourceProvider', () => {
  it('answers as told, records the calls the executor makes, in order', async () => {
    const handle = { provider: 'mock.resource', operation: 'SetFlag', id: 'r-1', startedAt: 0 };
    const flags = mockResourceProvider({
      observeResource: { value: 'us-east-1' },
      ensureResource: { before: { value: 'us-east-1' }, changed: true, handle },
      waitForResource: { value: 'eu-west-1' },
    });
    const plan = planOf(
      resource.ensure('switch', { provider: 'flags', resource: flag, desired: { value: 'eu-west-1' } }),
    );
    const run = (await runPlan(plan, { providers: { flags }, time: createVirtualTime() }))._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(flags.calls.map((call) => call.operation)).toEqual([
      'observeResource',
      'ensureResource',
      'waitForResource',
    ]);
    expect(flags.calls[1]!.args.slice(0, 2)).toEqual([flag, { value: 'eu-west-1' }]);
    expect(flags.calls[2]!.args[0]).toEqual(handle);
  });

  it('has checkResource only when given an answer, which plan validation reads', () => {
    const plan = planOf(
      resource.check('c', { provider: 'flags', resource: flag, condition: { value: 'x' } }),
    );
    expect(validatePlan(plan, { providers: { flags: mockResourceProvider() } }).isErr()).toBe(true);
    const answering = mockResourceProvider({
      checkResource: { passed: true, actual: 'x', expected: 'x', summary: 'flag is x' },
    });
    expect(validatePlan(plan, { providers: { flags: answering } }).isOk()).toBe(true);
  });
});
