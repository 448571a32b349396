import { describe, expect, it } from 'vitest';
import type { ResourceProviderV1 } from '../providers/resource/resource-provider-v1.js';
import { okAsync } from '../result.js';
import type { FailoverPlan } from './failover-plan.js';
import { parsePlanJson, serializePlan } from './parse-plan.js';
import { check } from './plan-check-factories.js';
import { resource } from './plan-resource-factories.js';
import { failoverPlanJsonSchema } from './plan-schema.js';
import { validatePlan } from './validate-plan.js';

interface FlagRef {
  flag: string;
}
interface Flag {
  value: string;
  version: number;
}

/** A provider typed with its own interfaces: it must fit a registry and a plan as it is. */
const flags: ResourceProviderV1<FlagRef, Flag, { value: string }> = {
  specificationVersion: 'v1',
  kind: 'resource',
  provider: 'test.flags',
  observeResource: () => okAsync({ value: 'a', version: 1 }),
  ensureResource: () => okAsync({ before: { value: 'a', version: 1 }, changed: false }),
  waitForResource: () => okAsync({ value: 'a', version: 1 }),
};

function planOf(steps: FailoverPlan['steps']): FailoverPlan {
  return { version: 1, id: 'p', name: 'p', sourceRegion: 'a', targetRegion: 'b', steps };
}

describe('resource plan factories', () => {
  it('build plain JSON steps that do not share objects with their author', () => {
    const desired = { value: 'eu-west-1', nested: { replicas: 3 } };
    const step = resource.ensure(
      'flag',
      { provider: 'flags', resource: { flag: 'checkout' }, desired, waitUntil: { minReady: 2 } },
      { reversible: false },
    );
    desired.nested.replicas = 99;
    expect(step).toEqual({
      id: 'flag',
      kind: 'action',
      reversible: false,
      action: {
        type: 'resource',
        provider: 'flags',
        resource: { flag: 'checkout' },
        desired: { value: 'eu-west-1', nested: { replicas: 3 } },
        waitUntil: { minReady: 2 },
      },
    });
    const fields = { provider: 'backups', resource: { schedule: 'daily' }, condition: { maxAgeMs: 60_000 } };
    expect(check.resource('fresh', fields)).toEqual(resource.check('fresh', fields));
    expect(resource.check('fresh', fields).check).toEqual({ type: 'resource', ...fields });
  });

  it('round-trip through the JSON plan format, and the JSON schema knows them', () => {
    const plan = planOf([
      resource.check('fresh', { provider: 'flags', resource: { flag: 'x' }, condition: { maxAgeMs: 1 } }),
      resource.ensure('flag', { provider: 'flags', resource: { flag: 'x' }, desired: { value: 'b' } }),
    ]);
    expect(parsePlanJson(serializePlan(plan))._unsafeUnwrap()).toEqual(plan);
    const schema = JSON.stringify(failoverPlanJsonSchema());
    expect(schema).toContain('"waitForCompletion"');
    expect(schema).toContain('"condition"');
  });

  it('reject a resource that is not a JSON object, and unknown fields, with the path', () => {
    const bad = JSON.stringify(
      planOf([
        {
          id: 'flag',
          kind: 'action',
          action: { type: 'resource', provider: 'f', resource: 'x', desired: {} },
        },
      ] as never),
    );
    const problems = parsePlanJson(bad)._unsafeUnwrapErr().problems;
    expect(problems.map((problem) => problem.path)).toContain('steps[0].action.resource');
    const typo = JSON.stringify(
      planOf([
        {
          id: 'flag',
          kind: 'action',
          action: { type: 'resource', provider: 'f', resource: {}, desired: {}, waitFor: true },
        },
      ] as never),
    );
    expect(parsePlanJson(typo).isErr()).toBe(true);
  });

  it('are validated against the providers: the kind, and checkResource for a check', () => {
    const plan = planOf([
      resource.check('fresh', { provider: 'flags', resource: { flag: 'x' }, condition: {} }),
      resource.ensure('flag', { provider: 'flags', resource: { flag: 'x' }, desired: { value: 'b' } }),
      resource.ensure('wrong', { provider: 'dns', resource: {}, desired: {} }),
    ]);
    const dns = { specificationVersion: 'v1', kind: 'dns', provider: 'test.dns' } as never;
    const problems = validatePlan(plan, { providers: { flags, dns } })._unsafeUnwrapErr().problems;
    expect(problems.map((problem) => [problem.path, problem.code])).toEqual([
      ['steps[0].check.type', 'missing-capability'],
      ['steps[2].action.provider', 'wrong-provider-kind'],
    ]);
    const withCheck = {
      ...flags,
      checkResource: () => okAsync({ passed: true, actual: 1, expected: 1, summary: 'ok' }),
    };
    expect(validatePlan(planOf(plan.steps.slice(0, 2)), { providers: { flags: withCheck } }).isOk()).toBe(
      true,
    );
  });
});
