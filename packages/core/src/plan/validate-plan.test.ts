import { describe, expect, it } from 'vitest';
import type { ProviderRegistry } from '../executor/provider-registry.js';
import type { ClusterCapabilities } from '../providers/cluster/cluster-capabilities.js';
import type { ClusterScalerV1 } from '../providers/cluster/cluster-scaler-v1.js';
import type { DatabaseCapabilities } from '../providers/database/database-capabilities.js';
import type { DatabaseFailoverV1 } from '../providers/database/database-failover-v1.js';
import type { DnsCapabilities } from '../providers/dns/dns-capabilities.js';
import type { DnsProviderV1 } from '../providers/dns/dns-provider-v1.js';
import type { FailoverPlan } from './failover-plan.js';
import { PlanValidationError } from './plan-validation-error.js';
import type { ActionStep, ApprovalStep, PlanStep } from './step.js';
import { validatePlan } from './validate-plan.js';

// Provider objects with only what validation reads: identity and capabilities.
const fakeDns = (capabilities: Partial<DnsCapabilities> = {}) =>
  ({
    specificationVersion: 'v1',
    kind: 'dns',
    provider: 'fake.dns',
    capabilities: {
      routing: ['failover', 'weighted'],
      disableTarget: true,
      createRecordSet: true,
      setTtl: true,
      ...capabilities,
    },
  }) as unknown as DnsProviderV1;
const fakeDb = (capabilities: Partial<DatabaseCapabilities> = {}) =>
  ({
    specificationVersion: 'v1',
    kind: 'database',
    provider: 'fake.db',
    capabilities: { modes: ['planned', 'forced'], replicationLag: true, ...capabilities },
  }) as unknown as DatabaseFailoverV1;
const fakeCluster = (capabilities: Partial<ClusterCapabilities> = {}) =>
  ({
    specificationVersion: 'v1',
    kind: 'cluster',
    provider: 'fake.cluster',
    capabilities: { bounds: true, autoscaledPools: true, ...capabilities },
  }) as unknown as ClusterScalerV1;

const providers: ProviderRegistry = { dns: fakeDns(), db: fakeDb(), k8s: fakeCluster() };

const record = { name: 'api.example.com.' };
const fence: ActionStep = {
  id: 'fence',
  kind: 'action',
  fence: true,
  action: { type: 'dns', provider: 'dns', record, desired: { targets: { primary: { enabled: false } } } },
};
const approve: ApprovalStep = {
  id: 'approve',
  kind: 'approval',
  message: 'Promote with data loss?',
  timeoutMs: 60_000,
};
const promote = (
  dependsOn: string[],
  mode: 'planned' | 'forced' = 'forced',
  region = 'eu-central-1',
): ActionStep => ({
  id: 'promote',
  kind: 'action',
  dependsOn,
  action: {
    type: 'database',
    provider: 'db',
    database: { id: 'orders' },
    frontedBy: ['api.example.com'],
    region,
    mode,
  },
});
const plan = (steps: PlanStep[], extra: Partial<FailoverPlan> = {}): FailoverPlan => ({
  version: 1,
  id: 'eu',
  name: 'EU failover',
  sourceRegion: 'eu-west-1',
  targetRegion: 'eu-central-1',
  steps,
  ...extra,
});

function problemsOf(input: unknown, options = { providers }) {
  const result = validatePlan(input, options);
  if (result.isOk()) throw new Error('expected problems');
  return result.error.problems.map(({ path, code }) => ({ path, code }));
}

describe('validatePlan', () => {
  it('accepts a safe forced failover and returns it compiled', () => {
    const result = validatePlan(plan([fence, approve, promote(['fence', 'approve'])]), { providers });
    const validated = result._unsafeUnwrap();
    expect(validated.order).toEqual(['fence', 'approve', 'promote']);
    expect(validated.steps.get('promote')!.deps).toEqual(['fence', 'approve']);
    expect(validated.notices).toEqual([]);
    expect(validated.plan.id).toBe('eu');
  });

  it('reports schema, graph and semantic problems together, with paths', () => {
    const input = plan([
      { ...fence, timeoutMs: -1 },
      { ...approve, dependsOn: ['nope'] },
      {
        id: 'promote',
        kind: 'action',
        dependsOn: ['approve'],
        action: {
          type: 'database',
          provider: 'missing',
          database: { id: 'orders' },
          frontedBy: ['api.example.com'],
          region: 'eu-west-1',
          mode: 'forced',
        },
      },
      {
        id: 'lag',
        kind: 'check',
        check: { type: 'replication-lag', provider: 'dns', database: { id: 'orders' }, maxLagMs: 10 },
      },
    ]);
    expect(problemsOf(input)).toEqual([
      { path: 'steps[0].timeoutMs', code: 'too-small' },
      { path: 'steps[1].dependsOn[0]', code: 'unknown-dependency' },
      { path: 'steps[2].action.provider', code: 'missing-provider' },
      { path: 'steps[3].check.provider', code: 'wrong-provider-kind' },
      { path: 'steps[2].action.mode', code: 'forced-without-fence' },
    ]);
    const error = validatePlan(input, { providers })._unsafeUnwrapErr();
    expect(error).toBeInstanceOf(PlanValidationError);
    expect(error.kind).toBe('invalid-input');
    expect(error.path).toBe('steps[0].timeoutMs');
    expect(error.problems[2]!.message).toContain('no provider named "missing"');
    expect(error.problems[3]!.message).toBe(
      'provider "dns" is a dns provider, but this step needs a database provider.',
    );
  });

  it('notes an in-region failover instead of rejecting it', () => {
    const input = plan([fence]);
    input.targetRegion = input.sourceRegion;
    const validated = validatePlan(input)._unsafeUnwrap();
    expect(validated.notices.map((notice) => notice.code)).toContain('same-region');
  });

  it('reports an id problem once, even when the schema also sees it', () => {
    const input = plan([
      { ...approve, id: '' },
      { id: 'g', kind: 'group', mode: 'parallel', steps: [] },
      fence,
      fence,
    ]);
    expect(problemsOf(input)).toEqual([
      { path: 'steps[0].id', code: 'too-small' },
      { path: 'steps[1].steps', code: 'too-small' },
      { path: 'steps[3].id', code: 'duplicate-id' },
    ]);
  });

  it('reports a cycle next to the other problems, and still checks forced steps', () => {
    const input = plan([{ ...fence, dependsOn: ['promote'] }, promote(['fence'])]);
    expect(problemsOf(input)).toEqual([
      { path: 'steps[0]', code: 'cycle' },
      { path: 'steps[1].action.mode', code: 'forced-without-approval' },
    ]);
  });

  it('skips provider checks when no providers are given', () => {
    const input = plan([{ ...fence, action: { ...fence.action, provider: 'unbound' } }]);
    expect(validatePlan(input).isOk()).toBe(true);
    expect(problemsOf(input, { providers: {} })).toEqual([
      { path: 'steps[0].action.provider', code: 'missing-provider' },
    ]);
  });

  it('does not take a provider name from the prototype', () => {
    const input = plan([{ ...fence, action: { ...fence.action, provider: 'toString' } }]);
    expect(problemsOf(input)).toEqual([{ path: 'steps[0].action.provider', code: 'missing-provider' }]);
  });

  it('checks the provider a pool size is read from', () => {
    const input = plan([
      {
        id: 'scale',
        kind: 'action',
        action: {
          type: 'scale',
          provider: 'k8s',
          pool: { cluster: 'dr', pool: 'general' },
          desired: {
            percentOf: { provider: 'db', pool: { cluster: 'prod', pool: 'general' } },
            percent: 100,
          },
        },
      },
    ]);
    expect(problemsOf(input)).toEqual([
      { path: 'steps[0].action.desired.percentOf.provider', code: 'wrong-provider-kind' },
    ]);
  });
});

describe('validatePlan capabilities', () => {
  const dnsStep = (desired: Record<string, unknown>): ActionStep =>
    ({ id: 'dns', kind: 'action', action: { type: 'dns', provider: 'dns', record, desired } }) as ActionStep;

  it('rejects DNS changes the provider cannot make', () => {
    const limited = {
      ...providers,
      dns: fakeDns({ routing: ['weighted'], disableTarget: false, createRecordSet: false, setTtl: false }),
    };
    const input = plan([
      dnsStep({
        ttl: 30,
        targets: { a: { enabled: false }, b: { weight: 0 } },
        createIfMissing: {
          type: 'A',
          routing: 'failover',
          ttl: 60,
          targets: [{ id: 'a', values: ['192.0.2.1'], enabled: true }],
        },
      }),
    ]);
    const result = validatePlan(input, { providers: limited })._unsafeUnwrapErr();
    expect(result.problems.map(({ path, code }) => ({ path, code }))).toEqual([
      { path: 'steps[0].action.desired.createIfMissing', code: 'missing-capability' },
      { path: 'steps[0].action.desired.createIfMissing.routing', code: 'missing-capability' },
      { path: 'steps[0].action.desired.ttl', code: 'missing-capability' },
      { path: 'steps[0].action.desired.targets.a.enabled', code: 'missing-capability' },
    ]);
    expect(result.problems[3]!.message).toBe(
      'this step disables target "a", but fake.dns does not declare the disableTarget capability.',
    );
    // The same plan passes with a capable provider.
    expect(validatePlan(input, { providers }).isOk()).toBe(true);
  });

  it('rejects a database mode and a lag check the provider cannot do', () => {
    const limited = { ...providers, db: fakeDb({ modes: ['planned'], replicationLag: false }) };
    const input = plan([
      fence,
      approve,
      promote(['fence', 'approve']),
      {
        id: 'lag',
        kind: 'check',
        check: { type: 'replication-lag', provider: 'db', database: { id: 'orders' }, maxLagMs: 5 },
      },
      {
        id: 'lag-after',
        kind: 'verify',
        timeoutMs: 1_000,
        check: { type: 'replication-lag', provider: 'db', database: { id: 'orders' }, maxLagMs: 5 },
      },
    ]);
    expect(problemsOf(input, { providers: limited })).toEqual([
      { path: 'steps[2].action.mode', code: 'missing-capability' },
      { path: 'steps[3].check.type', code: 'missing-capability' },
      { path: 'steps[4].check.type', code: 'missing-capability' },
    ]);
  });

  it('rejects pool bounds on a scaler without bounds', () => {
    const limited = { ...providers, k8s: fakeCluster({ bounds: false }) };
    const scale = (extra: object): ActionStep => ({
      id: 'scale',
      kind: 'action',
      action: {
        type: 'scale',
        provider: 'k8s',
        pool: { cluster: 'dr', pool: 'general' },
        desired: 6,
        ...extra,
      },
    });
    expect(problemsOf(plan([scale({ min: 3, max: 9 })]), { providers: limited })).toEqual([
      { path: 'steps[0].action.min', code: 'missing-capability' },
      { path: 'steps[0].action.max', code: 'missing-capability' },
    ]);
    expect(validatePlan(plan([scale({})]), { providers: limited }).isOk()).toBe(true);
  });
});

describe('validatePlan safety of forced failovers', () => {
  it('needs a fencing step among the ancestors, not just somewhere in the plan', () => {
    expect(problemsOf(plan([fence, approve, promote(['approve'])]))).toEqual([
      { path: 'steps[2].action.mode', code: 'forced-without-fence' },
    ]);
    // A DNS step that is not marked as fencing does not count.
    expect(problemsOf(plan([{ ...fence, fence: false }, approve, promote(['fence', 'approve'])]))).toEqual([
      { path: 'steps[2].action.mode', code: 'forced-without-fence' },
    ]);
  });

  it('finds the fence and the approval through groups and transitive dependencies', () => {
    const input = plan([
      {
        id: 'prepare',
        kind: 'group',
        mode: 'sequential',
        steps: [fence, { id: 'soak', kind: 'wait', durationMs: 1 }],
      },
      { ...approve, dependsOn: ['prepare'] },
      { id: 'failover', kind: 'group', mode: 'sequential', dependsOn: ['approve'], steps: [promote([])] },
    ]);
    expect(validatePlan(input, { providers }).isOk()).toBe(true);
  });

  it('finds them through wide stages that share their dependencies', () => {
    const waits = (prefix: string) =>
      Array.from(
        { length: 3_000 },
        (_, i): PlanStep => ({ id: `${prefix}${i}`, kind: 'wait', durationMs: 1 }),
      );
    const stages = (first: PlanStep[], cycle: string[] = []): FailoverPlan =>
      plan([
        {
          id: 'stages',
          kind: 'group',
          mode: 'sequential',
          steps: [
            { id: 'one', kind: 'group', mode: 'parallel', steps: [...first, ...waits('a')] },
            { id: 'two', kind: 'group', mode: 'parallel', steps: waits('b') },
            { id: 'three', kind: 'group', mode: 'parallel', steps: [promote([]), ...waits('c')] },
          ],
        },
        { id: 'late', kind: 'wait', durationMs: 1, dependsOn: cycle },
      ]);
    expect(validatePlan(stages([fence, approve]), { providers }).isOk()).toBe(true);
    expect(problemsOf(stages([approve]))).toEqual([
      { path: 'steps[0].steps[2].steps[0].action.mode', code: 'forced-without-fence' },
    ]);
    // With a cycle there is no topological order: the search over ancestors runs instead.
    expect(problemsOf(stages([{ ...fence, dependsOn: ['late'] }], ['fence']))).toEqual([
      { path: 'steps[0].steps[0].steps[0]', code: 'cycle' },
      { path: 'steps[0].steps[2].steps[0].action.mode', code: 'forced-without-approval' },
    ]);
  });

  it('needs an approval unless the plan opts out, and then says so in a notice', () => {
    expect(problemsOf(plan([fence, promote(['fence'])]))).toEqual([
      { path: 'steps[1].action.mode', code: 'forced-without-approval' },
    ]);
    const optedOut = validatePlan(plan([fence, promote(['fence'])], { allowForcedWithoutApproval: true }), {
      providers,
    })._unsafeUnwrap();
    expect(optedOut.notices).toEqual([
      {
        path: 'steps[1].action.mode',
        code: 'forced-without-approval',
        message:
          'forced database step "promote" runs without an approval because the plan sets allowForcedWithoutApproval.',
      },
    ]);
  });

  it('asks nothing of a planned failover', () => {
    expect(validatePlan(plan([promote([], 'planned')]), { providers }).isOk()).toBe(true);
  });

  it('only notes a database step that moves the writer away from the target region', () => {
    const failback = validatePlan(plan([promote([], 'planned', 'eu-west-1')]), { providers })._unsafeUnwrap();
    expect(failback.notices.map(({ path, code }) => ({ path, code }))).toEqual([
      { path: 'steps[0].action.region', code: 'region-not-target' },
    ]);
    // A multi-cloud plan names the target region as each cloud calls it.
    const aliased = validatePlan(
      plan([promote([], 'planned', 'eu-west-1')], { targetRegionAliases: ['eu-west-1'] }),
      {
        providers,
      },
    )._unsafeUnwrap();
    expect(aliased.notices).toEqual([]);
  });
});

describe('validatePlan consistency', () => {
  it('rejects pool sizes that contradict each other and a DNS step that asks for nothing', () => {
    const input = plan([
      {
        id: 'scale',
        kind: 'action',
        action: {
          type: 'scale',
          provider: 'k8s',
          pool: { cluster: 'dr', pool: 'p' },
          desired: 2,
          min: 5,
          max: 4,
          minReady: 3,
        },
      },
      { id: 'dns', kind: 'action', action: { type: 'dns', provider: 'dns', record, desired: {} } },
    ]);
    expect(problemsOf(input)).toEqual([
      { path: 'steps[0].action.min', code: 'inconsistent-size' },
      { path: 'steps[0].action.desired', code: 'inconsistent-size' },
      { path: 'steps[0].action.minReady', code: 'inconsistent-size' },
      { path: 'steps[1].action.desired', code: 'empty-desired-state' },
    ]);
  });

  it('never throws, whatever it is given', () => {
    for (const input of [undefined, null, 'plan', 42, [], { steps: 'no' }]) {
      expect(validatePlan(input)._unsafeUnwrapErr().kind).toBe('invalid-input');
    }
    const hostile = {
      get dns(): never {
        throw new Error('boom');
      },
    } as unknown as ProviderRegistry;
    const error = validatePlan(plan([fence]), { providers: hostile })._unsafeUnwrapErr();
    expect(error.problems.map((problem) => problem.code)).toEqual(['unreadable']);
  });
});
