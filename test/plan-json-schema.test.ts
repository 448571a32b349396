import { readFileSync } from 'node:fs';
import { type FailoverPlan, PlanBuilder, serializePlan } from '@failover/core';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

// The published JSON Schema (packages/cli/plan.schema.json, generated from core's
// zod schema) must accept every example plan and reject broken ones with errors
// that point at the field, for tools that validate plans without our code.

const schema = JSON.parse(readFileSync(new URL('../packages/cli/plan.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(schema);

const planModules = {
  'examples/aws-aurora-route53/plan.ts': () => import('../examples/aws-aurora-route53/plan.js'),
  'examples/aws-aurora-route53/forced-plan.ts': () => import('../examples/aws-aurora-route53/forced-plan.js'),
  'examples/multi-cloud/plan.ts': () => import('../examples/multi-cloud/plan.js'),
  'examples/plan-unit-test/checkout-failover-plan.ts': () =>
    import('../examples/plan-unit-test/checkout-failover-plan.js'),
};
const yamlPlans = ['dns-plan.yaml', 'dns-rollback-plan.yaml', 'azure-plan.yaml'].map(
  (name) => new URL(`../packages/cli/test/fixtures/${name}`, import.meta.url),
);

/** A module's default export, as the CLI accepts it: a plan, a builder, or a build() Result. */
function planOf(exported: unknown): FailoverPlan {
  if (exported instanceof PlanBuilder) return exported.toPlan();
  const maybeResult = exported as { isOk?: () => boolean; _unsafeUnwrap?: () => FailoverPlan };
  if (typeof maybeResult.isOk === 'function') return maybeResult._unsafeUnwrap!();
  return exported as FailoverPlan;
}

const describeErrors = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).map((error) => `${error.instancePath} ${error.message}`);

describe('the published plan JSON Schema', () => {
  it.each(Object.entries(planModules))('accepts %s as JSON', async (_, load) => {
    const plan = JSON.parse(serializePlan(planOf((await load()).default)));
    const valid = validate(plan);
    expect(describeErrors(validate.errors)).toEqual([]);
    expect(valid).toBe(true);
  });

  it.each(yamlPlans.map((url) => [url.pathname.split('/').pop()!, url] as const))(
    'accepts the YAML plan %s',
    (_, url) => {
      expect(validate(parseYaml(readFileSync(url, 'utf8')))).toBe(true);
    },
  );

  const base = (): FailoverPlan => ({
    version: 1,
    id: 'p',
    name: 'P',
    sourceRegion: 'us-east-1',
    targetRegion: 'us-west-2',
    steps: [
      { id: 'soak', kind: 'wait', durationMs: 1_000 },
      {
        id: 'switch',
        kind: 'action',
        dependsOn: ['soak'],
        action: {
          type: 'dns',
          provider: 'dns',
          record: { name: 'api.example.com.' },
          desired: { targets: { east: { weight: 0 } } },
        },
      },
    ],
  });

  const broken: Array<[string, (plan: Record<string, unknown> & FailoverPlan) => void, string]> = [
    ['an unknown step kind', (plan) => Object.assign(plan.steps[0]!, { kind: 'teleport' }), '/steps/0'],
    ['a negative timeout', (plan) => Object.assign(plan.steps[0]!, { timeoutMs: -5 }), '/steps/0/timeoutMs'],
    ['a missing step id', (plan) => delete (plan.steps[1] as { id?: string }).id, '/steps/1'],
    ['an unknown top-level field', (plan) => Object.assign(plan, { rollbackEverything: true }), ''],
    ['a wrong version', (plan) => Object.assign(plan, { version: 2 }), '/version'],
    [
      'a negative weight',
      (plan) => {
        const step = plan.steps[1] as {
          action: { desired: { targets: Record<string, { weight: number }> } };
        };
        step.action.desired.targets.east!.weight = -1;
      },
      '/steps/1/action/desired/targets/east/weight',
    ],
    ['no steps at all', (plan) => Object.assign(plan, { steps: [] }), '/steps'],
  ];

  it('accepts the untouched base plan', () => {
    expect(validate(base())).toBe(true);
  });

  it.each(broken)('rejects %s, pointing at the field', (_, breakIt, path) => {
    const plan = base() as Record<string, unknown> & FailoverPlan;
    breakIt(plan);
    expect(validate(plan)).toBe(false);
    const messages = describeErrors(validate.errors);
    expect(messages.some((message) => message.startsWith(`${path} `) || message.startsWith(`${path}/`))).toBe(
      true,
    );
  });
});
