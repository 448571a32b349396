import { describe, expect, it } from 'vitest';
import type { ActionStep, ApprovalStep, CheckStep, PlanStep } from './step.js';
import { validatePlan } from './validate-plan.js';

const approve: ApprovalStep = { id: 'approve', kind: 'approval', message: 'Lose data?', timeoutMs: 60_000 };
const fenceOf = (id: string, name: string): ActionStep => ({
  id,
  kind: 'action',
  fence: true,
  action: {
    type: 'dns',
    provider: 'dns',
    record: { name },
    desired: { targets: { primary: { enabled: false } } },
  },
});
const evidence: CheckStep = {
  id: 'primary-dark',
  kind: 'check',
  check: {
    type: 'primary-unreachable',
    fences: ['orders-writer.us-east-1'],
    probes: ['tcp://127.0.0.1:1', 'http://127.0.0.1:1/health', 'tcp://127.0.0.1:2'],
    forMs: 60_000,
  },
};
const promote = (dependsOn: string[], frontedBy?: string[]): ActionStep => ({
  id: 'promote',
  kind: 'action',
  dependsOn,
  action: {
    type: 'database',
    provider: 'db',
    database: { id: 'orders' },
    region: 'us-west-2',
    mode: 'forced',
    ...(frontedBy && { frontedBy }),
  },
});
const problems = (steps: PlanStep[]) => {
  const result = validatePlan({
    version: 1,
    id: 'p',
    name: 'P',
    sourceRegion: 'us-east-1',
    targetRegion: 'us-west-2',
    steps,
  });
  return result.isOk() ? [] : result.error.problems.map(({ path, code }) => ({ path, code }));
};

describe('a fence is tied to what it protects', () => {
  it('refuses a fence of another record than the ones fronting the database', () => {
    expect(
      problems([
        fenceOf('fence-www', 'www.example.com.'),
        approve,
        promote(['fence-www', 'approve'], ['api.example.com']),
      ]),
    ).toEqual([{ path: 'steps[2].action.frontedBy', code: 'forced-fence-does-not-cover' }]);
  });

  it('needs every fronting name fenced, names compared without case or trailing dot', () => {
    const steps = [
      fenceOf('fence-api', 'API.example.com.'),
      approve,
      promote(['fence-api', 'approve'], ['api.example.com', 'orders-writer.us-east-1']),
    ];
    expect(problems(steps)).toEqual([
      { path: 'steps[2].action.frontedBy', code: 'forced-fence-does-not-cover' },
    ]);
    expect(
      problems([
        ...steps.slice(0, 2),
        evidence,
        promote(['fence-api', 'approve', 'primary-dark'], ['api.example.com', 'orders-writer.us-east-1']),
      ]),
    ).toEqual([]);
  });

  it('counts unreachability evidence as the fence of the names it lists', () => {
    expect(
      problems([evidence, approve, promote(['primary-dark', 'approve'], ['orders-writer.us-east-1'])]),
    ).toEqual([]);
    // A plain http check proves nothing about the primary: no fence at all.
    const http: CheckStep = { id: 'up', kind: 'check', check: { type: 'http', url: 'http://127.0.0.1:1/' } };
    expect(problems([http, approve, promote(['up', 'approve'], ['orders-writer.us-east-1'])])).toEqual([
      { path: 'steps[2].action.mode', code: 'forced-without-fence' },
    ]);
  });

  it('asks what fronts the database when a forced step has fences but no frontedBy', () => {
    expect(
      problems([fenceOf('fence-api', 'api.example.com.'), approve, promote(['fence-api', 'approve'])]),
    ).toEqual([{ path: 'steps[2].action.frontedBy', code: 'forced-without-fronted-by' }]);
  });

  it('rejects evidence without probes or with a probe that is neither tcp nor http', () => {
    const bad = { ...evidence, check: { ...evidence.check, probes: ['ftp://127.0.0.1/'] } } as CheckStep;
    expect(problems([bad])).toEqual([{ path: 'steps[0].check.probes[0]', code: 'invalid-format' }]);
  });
});
