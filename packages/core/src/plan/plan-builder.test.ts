import { describe, expect, it } from 'vitest';
import type { ProviderRegistry } from '../executor/provider-registry.js';
import type { FailoverPlan } from './failover-plan.js';
import { parsePlanJson, serializePlan } from './parse-plan.js';
import { definePlan } from './plan-builder.js';
import { check } from './plan-check-factories.js';
import { approval, notify, parallel, sequential, verify, wait } from './plan-control-factories.js';
import { database } from './plan-database-factories.js';
import { dns } from './plan-dns-factories.js';
import { scale } from './plan-scale-factories.js';
import { PlanValidationError } from './plan-validation-error.js';
import type { ActionStep, PlanStep } from './step.js';
import { validatePlan } from './validate-plan.js';

const header = {
  id: 'eu-failover',
  name: 'EU failover',
  sourceRegion: 'eu-west-1',
  targetRegion: 'eu-central-1',
  objectives: { rtoMs: 15 * 60_000 },
};
const record = { zone: 'Z1', name: 'api.example.com.', type: 'A' };
const orders = { id: 'orders' };
const drPool = { cluster: 'dr', pool: 'general' };

/** A realistic plan that uses every factory. */
function everyFactory() {
  return definePlan(header)
    .parallel('preflight', [
      check.replicationLag('lag', { provider: 'db', database: orders, maxLagMs: 100 }),
      check.databaseWriter('writer', { provider: 'db', database: orders, region: 'eu-west-1' }),
      check.dnsTtl('ttl', { provider: 'dns', record, maxTtl: 60 }),
      check.dnsActiveTarget('active', { provider: 'dns', record, target: 'primary' }),
      check.poolReady('pool', { provider: 'k8s', pool: drPool, minReady: 1 }),
      check.http('health', { url: 'https://dr.example.com/healthz' }),
    ])
    .parallel(
      'prepare',
      [
        scale.pool('scale-dr', {
          provider: 'k8s',
          pool: drPool,
          desired: {
            percentOf: { provider: 'k8s-prod', pool: { cluster: 'prod', pool: 'general' } },
            percent: 100,
          },
          min: 3,
          max: 30,
        }),
        dns.setTtl('lower-ttl', { provider: 'dns', record, ttl: 30 }),
        dns.upsert('status-record', {
          provider: 'dns',
          record: { name: 'status.example.com.' },
          type: 'CNAME',
          routing: 'simple',
          ttl: 60,
          targets: [{ id: 'main', values: ['status.dr.example.com.'], enabled: true }],
        }),
      ],
      { dependsOn: ['preflight'] },
    )
    .step(dns.fence('fence', { provider: 'dns', record, target: 'primary' }))
    .after('prepare')
    .step(approval('approve-forced', 'Promote with data loss?', { timeoutMs: 15 * 60_000 }))
    .after(['fence'])
    .sequential(
      'failover',
      [
        database.ensureWriter('promote', {
          provider: 'db',
          database: orders,
          frontedBy: [record.name],
          region: 'eu-central-1',
          mode: 'forced',
        }),
        dns.switchActive('switch', { provider: 'dns', record, target: 'secondary' }),
        verify('verify-dns', check.dnsActiveTarget('_', { provider: 'dns', record, target: 'secondary' }), {
          timeoutMs: 300_000,
          intervalMs: 10_000,
        }),
        parallel('tell', [
          notify('tell-slack', 'slack:#incidents', 'Traffic is on eu-central-1.'),
          notify('tell-status', 'statuspage', 'Degraded, recovering.'),
        ]),
      ],
      { dependsOn: ['approve-forced'] },
    )
    .sequential(
      'failback',
      [
        dns.enableTarget('re-enable', { provider: 'dns', record, target: 'primary', waitForSync: false }),
        dns.setWeights('failback-10', { provider: 'dns', record, weights: { primary: 10, secondary: 90 } }),
        wait('soak-10', 10 * 60_000),
        dns.disableTarget('drain-secondary', { provider: 'dns', record, target: 'secondary' }),
        database.ensureWriter('switch-back', {
          provider: 'db',
          database: orders,
          region: 'eu-west-1',
          mode: 'planned',
        }),
      ],
      { dependsOn: ['failover'] },
    );
}

const providers = {
  dns: {
    kind: 'dns',
    provider: 'fake.dns',
    capabilities: {
      routing: ['simple', 'failover'],
      disableTarget: true,
      createRecordSet: true,
      setTtl: true,
    },
  },
  db: {
    kind: 'database',
    provider: 'fake.db',
    capabilities: { modes: ['planned', 'forced'], replicationLag: true },
  },
  k8s: { kind: 'cluster', provider: 'fake.k8s', capabilities: { bounds: true, autoscaledPools: false } },
  'k8s-prod': {
    kind: 'cluster',
    provider: 'fake.k8s',
    capabilities: { bounds: true, autoscaledPools: false },
  },
} as unknown as ProviderRegistry;

describe('definePlan', () => {
  it('builds a plan that validates, compiles in the intended order and round-trips through JSON', () => {
    const plan = everyFactory().build()._unsafeUnwrap();
    expect(plan.version).toBe(1);
    expect(plan.objectives).toEqual({ rtoMs: 900_000 });

    const validated = validatePlan(plan, { providers })._unsafeUnwrap();
    const deps = (id: string) => validated.steps.get(id)!.deps;
    expect(deps('fence')).toEqual(['scale-dr', 'lower-ttl', 'status-record']);
    expect(deps('promote')).toEqual(['approve-forced']);
    expect(deps('verify-dns')).toEqual(['switch']);
    expect(deps('re-enable')).toEqual(['tell-slack', 'tell-status']);
    expect(validated.order.slice(0, 6)).toEqual(['lag', 'writer', 'ttl', 'active', 'pool', 'health']);
    expect(validated.order.at(-1)).toBe('switch-back');
    expect(validated.notices.map((notice) => notice.code)).toEqual(['region-not-target']);

    expect(parsePlanJson(serializePlan(plan))._unsafeUnwrap()).toStrictEqual(plan);
  });

  it('makes steps that are plain JSON data', () => {
    const steps: PlanStep[] = everyFactory().toPlan().steps;
    expect(JSON.parse(JSON.stringify(steps))).toStrictEqual(steps);
  });

  it('writes the desired state each DNS factory stands for', () => {
    const on = { provider: 'dns', record };
    const desired = (step: ActionStep) => (step.action.type === 'dns' ? step.action.desired : undefined);
    expect(desired(dns.switchActive('a', { ...on, target: 'b' }))).toEqual({ activeTarget: 'b' });
    expect(desired(dns.setWeights('a', { ...on, weights: { x: 1, y: 0 } }))).toEqual({
      targets: { x: { weight: 1 }, y: { weight: 0 } },
    });
    expect(desired(dns.setTtl('a', { ...on, ttl: 60 }))).toEqual({ ttl: 60 });
    expect(desired(dns.disableTarget('a', { ...on, target: 'x' }))).toEqual({
      targets: { x: { enabled: false } },
    });
    expect(desired(dns.enableTarget('a', { ...on, target: 'x' }))).toEqual({
      targets: { x: { enabled: true } },
    });
    expect(dns.fence('f', { ...on, target: 'x' }, { dependsOn: ['y'] })).toStrictEqual({
      id: 'f',
      dependsOn: ['y'],
      kind: 'action',
      action: { type: 'dns', provider: 'dns', record, desired: { targets: { x: { enabled: false } } } },
      fence: true,
      traffic: false,
    });
    // A fence stays a fence whatever the options say.
    expect(dns.fence('f', { ...on, target: 'x' }, { fence: false }).fence).toBe(true);
    const upserted = desired(
      dns.upsert('u', {
        ...on,
        type: 'A',
        routing: 'weighted',
        ttl: 60,
        targets: [{ id: 'x', values: ['192.0.2.1'], weight: 5, enabled: false }],
      }),
    );
    expect(upserted).toEqual({
      ttl: 60,
      targets: { x: { values: ['192.0.2.1'], weight: 5 } },
      createIfMissing: {
        type: 'A',
        routing: 'weighted',
        ttl: 60,
        targets: [{ id: 'x', values: ['192.0.2.1'], weight: 5, enabled: false }],
      },
    });
  });

  it('copies what it is given, so later changes to the input do not leak into the plan', () => {
    const weights: Record<string, number> = { x: 1 };
    const pool = { cluster: 'dr', pool: 'p' };
    const dependsOn = ['a'];
    const step = dns.setWeights('w', { provider: 'dns', record, weights }, { dependsOn });
    const scaled = scale.pool('s', { provider: 'k8s', pool, desired: 3 });
    weights.x = 99;
    pool.cluster = 'changed';
    dependsOn.push('b');
    expect(step.action.type === 'dns' && step.action.desired.targets).toEqual({ x: { weight: 1 } });
    expect(step.dependsOn).toEqual(['a']);
    expect(scaled.action.type === 'scale' && scaled.action.pool.cluster).toBe('dr');
  });

  it('takes a check spec or a check step for verify', () => {
    const spec = { type: 'pool-ready', provider: 'k8s', pool: drPool, minReady: 3 } as const;
    expect(verify('v', spec, { timeoutMs: 1_000 })).toEqual(
      verify('v', check.poolReady('ignored', { provider: 'k8s', pool: drPool, minReady: 3 }), {
        timeoutMs: 1_000,
      }),
    );
    expect(verify('v', spec, { timeoutMs: 1_000 })).toStrictEqual({
      id: 'v',
      kind: 'verify',
      check: spec,
      timeoutMs: 1_000,
    });
  });

  it('adds .after() ids to the last step, once each', () => {
    const plan = definePlan(header)
      .step(wait('a', 1), wait('b', 1), wait('c', 1, { dependsOn: ['a'] }))
      .after('a', 'b')
      .after(['b'])
      .toPlan();
    expect(plan.steps.map((step) => step.dependsOn)).toEqual([undefined, undefined, ['a', 'b']]);
  });

  it('is immutable, so a base can be extended in several ways', () => {
    const base = definePlan(header).step(wait('a', 1));
    const one = base.step(wait('b', 1)).after('a');
    const two = base.step(notify('n', 'c', 'm'));
    expect(base.toPlan().steps.map((step) => step.id)).toEqual(['a']);
    expect(one.toPlan().steps.map((step) => step.id)).toEqual(['a', 'b']);
    expect(two.toPlan().steps.map((step) => step.id)).toEqual(['a', 'n']);
    expect(base.after('x').toPlan().steps[0]!.dependsOn).toEqual(['x']);
    expect(base.toPlan().steps[0]!.dependsOn).toBeUndefined();
  });

  it('returns every problem from build, never throws', () => {
    const result = definePlan(header)
      .step(wait('a', -1))
      .step(approval('ok', 'Go?', { timeoutMs: 0 }))
      .build();
    const error = result._unsafeUnwrapErr();
    expect(error).toBeInstanceOf(PlanValidationError);
    expect(error.problems.map((problem) => problem.path)).toEqual([
      'steps[0].durationMs',
      'steps[1].timeoutMs',
    ]);

    const graph = definePlan(header).step(wait('a', 1)).after('b').build()._unsafeUnwrapErr();
    expect(graph.problems.map((problem) => [problem.path, problem.code])).toEqual([
      ['steps[0].dependsOn[0]', 'unknown-dependency'],
    ]);

    const misuse = definePlan(header).after('x').step(wait('a', 1)).build()._unsafeUnwrapErr();
    expect(misuse.problems.map((problem) => problem.code)).toEqual(['after-without-step']);

    expect(definePlan(header).build()._unsafeUnwrapErr().path).toBe('steps');
  });

  it('builds groups with the sequential and parallel factories', () => {
    const group = sequential('s', [wait('a', 1), parallel('p', [wait('b', 1), wait('c', 1)])], {
      name: 'Stage',
    });
    expect(group).toStrictEqual({
      id: 's',
      name: 'Stage',
      kind: 'group',
      mode: 'sequential',
      steps: [
        { id: 'a', kind: 'wait', durationMs: 1 },
        {
          id: 'p',
          kind: 'group',
          mode: 'parallel',
          steps: [
            { id: 'b', kind: 'wait', durationMs: 1 },
            { id: 'c', kind: 'wait', durationMs: 1 },
          ],
        },
      ],
    });
    const plan: FailoverPlan = definePlan(header).step(group).build()._unsafeUnwrap();
    expect(plan.steps).toStrictEqual([group]);
  });
});
