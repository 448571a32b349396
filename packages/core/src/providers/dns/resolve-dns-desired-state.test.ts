import { describe, expect, it } from 'vitest';
import { diffDnsRecordSet } from './diff-dns-record-set.js';
import type { DnsRecordSet } from './dns-record-set.js';
import { resolveDnsDesiredState } from './resolve-dns-desired-state.js';

const failover: DnsRecordSet = {
  name: 'api.example.com.',
  type: 'A',
  ttl: 60,
  routing: 'failover',
  targets: [
    {
      id: 'primary',
      values: ['10.0.0.1'],
      priority: 1,
      enabled: true,
      healthCheckId: 'hc-1',
      health: 'unhealthy',
    },
    { id: 'secondary', values: ['10.1.0.1'], priority: 2, enabled: true },
  ],
};

const priority: DnsRecordSet = {
  name: 'shop-tm',
  type: 'CNAME',
  ttl: 30,
  routing: 'priority',
  targets: [
    { id: 'east', values: ['east.example.net'], priority: 1, enabled: true },
    { id: 'west', values: ['west.example.net'], priority: 2, enabled: true },
    { id: 'central', values: ['central.example.net'], priority: 3, enabled: true },
  ],
};

describe('resolveDnsDesiredState', () => {
  it('swaps primary and secondary on a failover record', () => {
    const resolved = resolveDnsDesiredState(failover, { activeTarget: 'secondary' })._unsafeUnwrap();
    expect(resolved.targets.map((t) => [t.id, t.priority])).toEqual([
      ['primary', 2],
      ['secondary', 1],
    ]);
    expect(failover.targets[0]!.priority).toBe(1); // input untouched
  });

  it('moves a target to priority 1 and keeps the others in their order', () => {
    const resolved = resolveDnsDesiredState(priority, { activeTarget: 'central' })._unsafeUnwrap();
    expect(resolved.targets.map((t) => [t.id, t.priority])).toEqual([
      ['east', 2],
      ['west', 3],
      ['central', 1],
    ]);
  });

  it('gives all weight to the active target of a weighted record and enables it', () => {
    const weighted: DnsRecordSet = {
      ...failover,
      routing: 'weighted',
      targets: [
        { id: 'a', values: ['1.1.1.1'], weight: 90, enabled: true },
        { id: 'b', values: ['2.2.2.2'], weight: 10, enabled: false },
      ],
    };
    const resolved = resolveDnsDesiredState(weighted, { activeTarget: 'b' })._unsafeUnwrap();
    expect(resolved.targets.map((t) => [t.id, t.weight, t.enabled])).toEqual([
      ['a', 0, true],
      ['b', 100, true],
    ]);
  });

  it('applies target patches and the TTL', () => {
    const resolved = resolveDnsDesiredState(priority, {
      ttl: 10,
      targets: { east: { enabled: false }, west: { values: ['west2.example.net'] } },
    })._unsafeUnwrap();
    expect(resolved.ttl).toBe(10);
    expect(resolved.targets[0]!.enabled).toBe(false);
    expect(resolved.targets[1]!.values).toEqual(['west2.example.net']);
  });

  it('names the field of a bad desired state', () => {
    expect(resolveDnsDesiredState(failover, { activeTarget: 'nope' })._unsafeUnwrapErr()).toMatchObject({
      kind: 'invalid-input',
      path: 'activeTarget',
    });
    expect(
      resolveDnsDesiredState(failover, { targets: { ghost: { weight: 1 } } })._unsafeUnwrapErr().path,
    ).toBe('targets.ghost');
    expect(resolveDnsDesiredState(failover, { ttl: -1 })._unsafeUnwrapErr().path).toBe('ttl');
    const simple = { ...failover, routing: 'simple' as const };
    expect(resolveDnsDesiredState(simple, { activeTarget: 'primary' })._unsafeUnwrapErr().kind).toBe(
      'invalid-input',
    );
    expect(resolveDnsDesiredState(null, { ttl: 5 })._unsafeUnwrapErr().path).toBe('createIfMissing');
  });

  it('creates from createIfMissing when nothing exists', () => {
    const resolved = resolveDnsDesiredState(null, {
      createIfMissing: {
        type: 'A',
        routing: 'simple',
        ttl: 60,
        targets: [{ id: 'only', values: ['1.2.3.4'], enabled: true }],
      },
    })._unsafeUnwrap();
    expect(resolved.targets[0]!.values).toEqual(['1.2.3.4']);
  });
});

describe('diffDnsRecordSet', () => {
  it('is empty when only observed health differs', () => {
    const desired = {
      ...failover,
      targets: failover.targets.map((t) => ({ ...t, health: 'healthy' as const })),
    };
    expect(diffDnsRecordSet(failover, desired)).toEqual([]);
  });

  it('ignores the order of values but not their content', () => {
    const a: DnsRecordSet = { ...failover, targets: [{ id: 'x', values: ['1', '2'], enabled: true }] };
    const b: DnsRecordSet = { ...failover, targets: [{ id: 'x', values: ['2', '1'], enabled: true }] };
    const c: DnsRecordSet = { ...failover, targets: [{ id: 'x', values: ['2', '3'], enabled: true }] };
    expect(diffDnsRecordSet(a, b)).toEqual([]);
    expect(diffDnsRecordSet(a, c)).toEqual([{ path: 'targets.x.values', from: ['1', '2'], to: ['2', '3'] }]);
  });

  it('lists every difference with a path', () => {
    const desired = resolveDnsDesiredState(failover, { activeTarget: 'secondary', ttl: 30 })._unsafeUnwrap();
    expect(diffDnsRecordSet(failover, desired)).toEqual([
      { path: 'ttl', from: 60, to: 30 },
      { path: 'targets.primary.priority', from: 1, to: 2 },
      { path: 'targets.secondary.priority', from: 2, to: 1 },
    ]);
  });

  it('reports added and removed targets and a missing record set', () => {
    const desired = {
      ...failover,
      targets: [failover.targets[0]!, { id: 'third', values: ['3'], enabled: true }],
    };
    expect(diffDnsRecordSet(failover, desired).map((d) => d.path)).toEqual([
      'targets.third',
      'targets.secondary',
    ]);
    expect(diffDnsRecordSet(null, failover)).toEqual([{ path: '', from: null, to: failover }]);
  });
});
