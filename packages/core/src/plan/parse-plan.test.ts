import { describe, expect, it } from 'vitest';
import { FailoverError } from '../errors/failover-error.js';
import type { FailoverPlan } from './failover-plan.js';
import { parsePlan, parsePlanJson, serializePlan } from './parse-plan.js';
import { failoverPlanJsonSchema } from './plan-schema.js';
import { PlanValidationError } from './plan-validation-error.js';

/** Every step kind, check type and action type, with every optional field somewhere. */
const everything: FailoverPlan = {
  version: 1,
  id: 'eu-failover',
  name: 'EU failover',
  description: 'Move eu-west-1 to eu-central-1.',
  sourceRegion: 'eu-west-1',
  targetRegion: 'eu-central-1',
  objectives: { rtoMs: 900_000, rpoMs: 1_000 },
  allowForcedWithoutApproval: false,
  steps: [
    {
      id: 'preflight',
      kind: 'group',
      mode: 'parallel',
      name: 'Pre-flight',
      steps: [
        {
          id: 'lag',
          kind: 'check',
          check: {
            type: 'replication-lag',
            provider: 'db',
            database: { id: 'orders' },
            maxLagMs: 100,
            region: 'eu-central-1',
          },
          retry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 2_000 },
        },
        {
          id: 'writer',
          kind: 'check',
          check: { type: 'database-writer', provider: 'db', database: { id: 'orders' }, region: 'eu-west-1' },
        },
        {
          id: 'ttl',
          kind: 'check',
          check: {
            type: 'dns-ttl',
            provider: 'dns',
            record: { zone: 'Z1', name: 'api.example.com.', type: 'A' },
            maxTtl: 60,
          },
        },
        {
          id: 'active',
          kind: 'check',
          check: {
            type: 'dns-active-target',
            provider: 'dns',
            record: { name: 'api.example.com.' },
            target: 'primary',
          },
        },
        {
          id: 'pool',
          kind: 'check',
          check: {
            type: 'pool-ready',
            provider: 'k8s',
            pool: { cluster: 'dr', pool: 'general', region: 'eu-central-1' },
            minReady: 0,
          },
        },
        {
          id: 'health',
          kind: 'check',
          check: { type: 'http', url: 'https://dr.example.com/healthz', expectStatus: 204, timeoutMs: 2_000 },
        },
      ],
    },
    {
      id: 'fence',
      kind: 'action',
      dependsOn: ['preflight'],
      action: {
        type: 'dns',
        provider: 'dns',
        record: { name: 'api.example.com.' },
        desired: {
          targets: { primary: { enabled: false, weight: 0, priority: 2, values: ['192.0.2.1'] } },
          ttl: 30,
          activeTarget: 'secondary',
          createIfMissing: {
            type: 'A',
            routing: 'failover',
            ttl: 60,
            targets: [
              {
                id: 'primary',
                values: ['192.0.2.1'],
                priority: 1,
                enabled: true,
                healthCheckId: 'hc-1',
                location: 'eu-west-1',
              },
              {
                id: 'secondary',
                values: ['192.0.2.2'],
                priority: 2,
                enabled: true,
                weight: 0.5,
                health: 'unknown',
              },
            ],
          },
        },
        waitForSync: false,
      },
      fence: true,
      reversible: true,
      traffic: false,
      name: 'Fence the old primary',
      timeoutMs: 60_000,
    },
    {
      id: 'approve',
      kind: 'approval',
      message: 'Promote with data loss?',
      timeoutMs: 900_000,
      dependsOn: ['fence'],
    },
    {
      id: 'promote',
      kind: 'action',
      dependsOn: ['approve'],
      action: {
        type: 'database',
        provider: 'db',
        database: { id: 'orders' },
        region: 'eu-central-1',
        mode: 'forced',
        memberId: 'orders-eu-central-1',
        providerOptions: { 'aws.aurora': { forcedStrategy: 'detach', nested: [1, null, { ok: true }] } },
      },
      reversible: false,
    },
    {
      id: 'scale',
      kind: 'group',
      mode: 'sequential',
      dependsOn: ['promote'],
      steps: [
        {
          id: 'scale-pool',
          kind: 'action',
          action: {
            type: 'scale',
            provider: 'k8s',
            pool: { cluster: 'dr', pool: 'general' },
            desired: {
              percentOf: { provider: 'k8s-primary', pool: { cluster: 'prod', pool: 'general' } },
              percent: 100,
            },
            min: 3,
            max: 30,
            minReady: 6,
            waitForReady: true,
          },
        },
        {
          id: 'scale-fixed',
          kind: 'action',
          action: { type: 'scale', provider: 'k8s', pool: { cluster: 'dr', pool: 'batch' }, desired: 4 },
        },
      ],
    },
    {
      id: 'switch',
      kind: 'action',
      dependsOn: ['scale'],
      action: {
        type: 'dns',
        provider: 'dns',
        record: { name: 'api.example.com.' },
        desired: { activeTarget: 'secondary' },
      },
      traffic: true,
    },
    {
      id: 'verify',
      kind: 'verify',
      dependsOn: ['switch'],
      check: {
        type: 'dns-active-target',
        provider: 'dns',
        record: { name: 'api.example.com.' },
        target: 'secondary',
      },
      timeoutMs: 300_000,
      intervalMs: 10_000,
    },
    { id: 'soak', kind: 'wait', durationMs: 60_000, dependsOn: ['verify'] },
    {
      id: 'tell',
      kind: 'notify',
      channel: 'slack:#incidents',
      message: 'Failed over to eu-central-1.',
      dependsOn: ['soak'],
    },
  ],
};

const clone = <T>(value: T): T => structuredClone(value);

function problemsOf(result: ReturnType<typeof parsePlan>) {
  if (result.isOk()) throw new Error('expected problems');
  return result.error.problems.map((problem) => ({ path: problem.path, code: problem.code }));
}

describe('parsePlan', () => {
  it('accepts a plan with every step kind and returns a fresh copy', () => {
    const parsed = parsePlan(everything)._unsafeUnwrap();
    expect(parsed).toStrictEqual(everything);
    expect(parsed).not.toBe(everything);
    expect(parsed.steps[0]).not.toBe(everything.steps[0]);
  });

  it('round-trips through JSON without loss', () => {
    const text = serializePlan(everything);
    expect(parsePlanJson(text)._unsafeUnwrap()).toStrictEqual(everything);
    expect(serializePlan(parsePlanJson(text)._unsafeUnwrap())).toBe(text);
  });

  it('serialises the same plan to the same text whatever its key order', () => {
    const reversed = JSON.parse(JSON.stringify(everything), (_key, value) =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).reverse())
        : value,
    );
    expect(Object.keys(reversed)[0]).not.toBe('version');
    expect(serializePlan(reversed)).toBe(serializePlan(everything));
    expect(serializePlan(everything).startsWith('{\n  "version": 1,\n  "id": "eu-failover"')).toBe(true);
  });

  it('names the field of a negative timeout', () => {
    const plan = clone(everything);
    plan.steps[2]!.timeoutMs = -5;
    const error = parsePlan(plan)._unsafeUnwrapErr();
    expect(error).toBeInstanceOf(PlanValidationError);
    expect(FailoverError.isInstance(error)).toBe(true);
    expect(error.kind).toBe('invalid-input');
    expect(error.path).toBe('steps[2].timeoutMs');
    expect(error.problems).toEqual([
      { path: 'steps[2].timeoutMs', code: 'too-small', message: 'timeoutMs must be greater than 0, got -5.' },
    ]);
    expect(error.message).toContain('steps[2].timeoutMs: timeoutMs must be greater than 0');
  });

  it('names an unknown step kind and lists the known ones', () => {
    const plan = clone(everything) as unknown as { steps: Record<string, unknown>[] };
    plan.steps[1] = { id: 'x', kind: 'foo' };
    const error = parsePlan(plan)._unsafeUnwrapErr();
    expect(error.path).toBe('steps[1].kind');
    expect(error.problems[0]!.message).toBe(
      'unknown step kind "foo"; expected one of check, action, approval, verify, wait, notify, group.',
    );
  });

  it('names unknown check and action types, missing ones too', () => {
    const plan = clone(everything) as unknown as { steps: Record<string, unknown>[] };
    plan.steps[6] = { id: 'v', kind: 'verify', timeoutMs: 1, check: { type: 'ping' } };
    plan.steps[5] = { id: 's', kind: 'action', action: { provider: 'dns' } };
    const error = parsePlan(plan)._unsafeUnwrapErr();
    expect(error.problems.map((problem) => [problem.path, problem.code])).toEqual([
      ['steps[5].action.type', 'unknown-action-type'],
      ['steps[6].check.type', 'unknown-check-type'],
    ]);
    expect(error.problems[0]!.message).toContain(
      'the action type is missing; expected one of dns, database, scale',
    );
    expect(error.problems[1]!.message).toContain('unknown check type "ping"');
  });

  it('lists every problem at once, nested ones with their full path', () => {
    const plan = clone(everything) as unknown as Record<string, unknown> & {
      steps: Record<string, unknown>[];
    };
    plan.version = 2;
    plan.sourceRegion = '';
    plan.colour = 'red';
    const group = plan.steps[0] as { steps: Record<string, unknown>[] };
    group.steps[0]!.check = {
      type: 'replication-lag',
      provider: 'db',
      database: { id: 'orders' },
      maxLagMs: 1.5,
    };
    group.steps[5]!.check = { type: 'http', url: 'ftp://example.com', expectStatus: 700 };
    const scale = (plan.steps[4] as { steps: { action: Record<string, unknown> }[] }).steps[0]!.action;
    scale.desired = { percentOf: { provider: 'k', pool: { cluster: 'c' } }, percent: 1001 };
    plan.steps[3]!.action = {
      ...(plan.steps[3]!.action as object),
      mode: 'yolo',
      providerOptions: { x: { at: new Date(0) } },
    };
    plan.steps[2]!.timeoutMs = undefined;
    plan.steps[7]!.dependsOn = ['verify', ''];
    expect(problemsOf(parsePlan(plan))).toEqual([
      { path: 'version', code: 'invalid-value' },
      { path: 'sourceRegion', code: 'too-small' },
      { path: 'steps[0].steps[0].check.maxLagMs', code: 'invalid-type' },
      { path: 'steps[0].steps[5].check.url', code: 'invalid-format' },
      { path: 'steps[0].steps[5].check.expectStatus', code: 'too-big' },
      { path: 'steps[2].timeoutMs', code: 'required' },
      { path: 'steps[3].action.mode', code: 'invalid-value' },
      { path: 'steps[3].action.providerOptions.x.at', code: 'invalid-value' },
      { path: 'steps[4].steps[0].action.desired.percentOf.pool.pool', code: 'required' },
      { path: 'steps[4].steps[0].action.desired.percent', code: 'too-big' },
      { path: 'steps[7].dependsOn[1]', code: 'too-small' },
      { path: 'colour', code: 'unknown-field' },
    ]);
  });

  it('rejects unknown fields anywhere, naming them', () => {
    const plan = clone(everything) as unknown as { steps: { action: { record: Record<string, unknown> } }[] };
    plan.steps[1]!.action.record.ttl = 60;
    const error = parsePlan(plan)._unsafeUnwrapErr();
    expect(error.problems).toEqual([
      {
        path: 'steps[1].action.record.ttl',
        code: 'unknown-field',
        message: 'unknown field "ttl"; remove it or check its spelling.',
      },
    ]);
  });

  it('checks numbers: weights, TTLs, percentages, retries, pool sizes', () => {
    // biome-ignore lint/suspicious/noExplicitAny: the test writes bad values deep into the document.
    const plan = clone(everything) as unknown as { steps: Record<string, any>[] };
    plan.steps[1]!.action.desired.targets.primary.weight = -1;
    plan.steps[1]!.action.desired.ttl = 30.5;
    plan.steps[4]!.steps[1].action.desired = -2;
    (plan.steps[0]!.steps[0] as { retry: unknown }).retry = { maxAttempts: 0 };
    plan.steps[7]!.durationMs = Number.NaN;
    expect(problemsOf(parsePlan(plan))).toEqual([
      { path: 'steps[0].steps[0].retry.maxAttempts', code: 'too-small' },
      { path: 'steps[1].action.desired.targets.primary.weight', code: 'too-small' },
      { path: 'steps[1].action.desired.ttl', code: 'invalid-type' },
      { path: 'steps[4].steps[1].action.desired', code: 'too-small' },
      { path: 'steps[7].durationMs', code: 'invalid-type' },
    ]);
  });

  it('turns input that is not a plan at all into invalid-input, never a throw', () => {
    for (const input of [undefined, null, 42, 'plan', [], () => 1]) {
      const error = parsePlan(input)._unsafeUnwrapErr();
      expect(error.kind).toBe('invalid-input');
      expect(error.path).toBe('');
    }
    const hostile = {
      ...everything,
      get steps(): never {
        throw new Error('boom');
      },
    };
    expect(parsePlan(hostile)._unsafeUnwrapErr().problems[0]!.code).toBe('unreadable');
  });

  it('survives absurdly deep nesting without throwing', () => {
    let step: Record<string, unknown> = { id: 'leaf', kind: 'wait', durationMs: 1 };
    for (let depth = 0; depth < 100_000; depth++)
      step = { id: `g${depth}`, kind: 'group', mode: 'parallel', steps: [step] };
    const error = parsePlan({ ...everything, steps: [step] })._unsafeUnwrapErr();
    expect(error.problems).toEqual([
      { path: '', code: 'unreadable', message: 'the plan could not be read: it is nested too deeply.' },
    ]);
  });
});

describe('parsePlanJson', () => {
  it('reports malformed JSON at the root with the reason', () => {
    const error = parsePlanJson('{"version": 1,')._unsafeUnwrapErr();
    expect(error.kind).toBe('invalid-input');
    expect(error.path).toBe('');
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]!.code).toBe('malformed-json');
    expect(error.problems[0]!.message).toMatch(/^the plan is not valid JSON: /);
  });

  it('parses valid JSON through the schema', () => {
    expect(parsePlanJson('[]')._unsafeUnwrapErr().problems[0]!.message).toBe(
      'the plan must be an object, got an array.',
    );
    expect(parsePlanJson(JSON.stringify(everything)).isOk()).toBe(true);
    expect(parsePlanJson(42 as unknown as string)._unsafeUnwrapErr().problems[0]!.code).toBe(
      'malformed-json',
    );
  });
});

describe('failoverPlanJsonSchema', () => {
  it('describes the same document as the zod schema', () => {
    const schema = failoverPlanJsonSchema() as {
      $schema: string;
      title: string;
      additionalProperties: boolean;
      required: string[];
      $defs: Record<
        string,
        {
          oneOf?: {
            properties: Record<string, { const?: string; minimum?: number; exclusiveMinimum?: number }>;
          }[];
        }
      >;
    };
    expect(schema.$schema).toContain('2020-12');
    expect(schema.title).toBe('FailoverPlan');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['version', 'id', 'name', 'sourceRegion', 'targetRegion', 'steps']);
    const steps = schema.$defs.PlanStep!.oneOf!;
    expect(steps.map((step) => step.properties.kind!.const)).toEqual([
      'check',
      'action',
      'approval',
      'verify',
      'wait',
      'notify',
      'group',
    ]);
    expect(steps[2]!.properties.timeoutMs!.exclusiveMinimum).toBe(0);
    expect(JSON.stringify(schema)).not.toMatch(/__schema/);
    expect(failoverPlanJsonSchema()).not.toBe(schema);
  });
});
