import { type DnsRecordSet, type FailoverPlan, runPlan } from '@failover/core';
import { describe, expect, it } from 'vitest';
import { createSimulatedWorld } from '../src/index.js';

const names = Array.from({ length: 50 }, (_, index) => `app${index}.example.com`);

const failoverRecord = (name: string): DnsRecordSet => ({
  name,
  type: 'CNAME',
  ttl: 60,
  routing: 'failover',
  targets: [
    { id: 'primary', values: ['us.example.net'], priority: 1, enabled: true },
    { id: 'secondary', values: ['eu.example.net'], priority: 2, enabled: true },
  ],
});

const plan: FailoverPlan = {
  version: 1,
  id: 'fleet',
  name: 'Fleet of 50 names',
  sourceRegion: 'us-east-1',
  targetRegion: 'eu-west-1',
  steps: [
    {
      id: 'switch',
      kind: 'group',
      mode: 'parallel',
      steps: names.map((name, index) => ({
        id: `switch-${index}`,
        kind: 'action' as const,
        action: {
          type: 'dns' as const,
          provider: 'dns',
          record: { name },
          desired: { activeTarget: 'secondary' },
        },
      })),
    },
  ],
};

/** A zone that refuses a change while another is pending, as Route 53 does. */
const world = () =>
  createSimulatedWorld({ seed: 7 }).seed({
    dns: {
      zones: [{ name: 'example.com.', refusesChangesWhilePending: true, records: names.map(failoverRecord) }],
    },
  });

describe('simulated DNS batching', () => {
  it('switches 50 names of a zone that refuses while a change is pending with one change call and one wait', async () => {
    const sim = world();
    const run = (
      await runPlan(plan, { providers: { dns: sim.dnsProvider() }, time: sim.time })
    )._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    const counts = sim.callCounts();
    expect(counts.ensureRecordSets).toBe(1);
    expect(counts.ensureRecordSet ?? 0).toBe(0);
    expect(counts.waitForChange).toBe(1);
    expect(sim.calls({ mutating: true })).toHaveLength(1);
    expect(sim.operations()).toHaveLength(1);
    expect(run.report.apiCalls.total.mutatingApiCalls).toBe(1);
    for (const name of names) {
      const record = sim.recordSet({ name })!;
      expect(record.targets.find((target) => target.priority === 1)!.id).toBe('secondary');
    }
  });

  it('refuses the second of two changes sent one by one, as the zone does without batching', async () => {
    const sim = world();
    const dns = sim.dnsProvider('sim.dns', { batching: false });
    expect(dns.batching).toBeUndefined();
    // Whether the run then ends in time depends on how the retries inside each step's
    // deadline fall; what must hold is that the zone refuses changes sent one by one.
    await runPlan(plan, { providers: { dns }, time: sim.time, concurrency: 8, random: () => 0.5 });
    const refused = sim.calls({ operation: 'ensureRecordSet', outcome: 'throttled' });
    expect(refused.length).toBeGreaterThan(0);
    expect(sim.calls({ operation: 'ensureRecordSet' }).length).toBeGreaterThan(50);
  });

  it('keys batches by zone and answers each change on its own', async () => {
    const sim = createSimulatedWorld({ seed: 3 }).seed({
      dns: {
        zones: [
          {
            name: 'example.com.',
            records: [failoverRecord('a.example.com'), failoverRecord('b.example.com')],
          },
          { name: 'example.org.', records: [failoverRecord('c.example.org')] },
        ],
      },
    });
    const dns = sim.dnsProvider();
    const batching = dns.batching!;
    expect(batching.batchKey({ name: 'a.example.com' })).toBe(batching.batchKey({ name: 'b.example.com.' }));
    expect(batching.batchKey({ name: 'a.example.com' })).not.toBe(
      batching.batchKey({ name: 'c.example.org' }),
    );
    const swap = (record: DnsRecordSet): DnsRecordSet => ({
      ...record,
      targets: record.targets.map((target) => ({ ...target, priority: target.priority === 1 ? 2 : 1 })),
    });
    const outcomes = (
      await batching.ensureRecordSets([
        { ref: { name: 'a.example.com' }, desired: swap(failoverRecord('a.example.com')) },
        { ref: { name: 'b.example.com' }, desired: failoverRecord('b.example.com') },
        { ref: { name: 'c.example.org' }, desired: swap(failoverRecord('c.example.org')) },
        { ref: { name: 'd.example.net' }, desired: failoverRecord('d.example.net') },
      ])
    )._unsafeUnwrap();
    expect(outcomes.map((outcome) => (outcome.ok ? outcome.result.changed : outcome.error.kind))).toEqual([
      true,
      false,
      true,
      'not-found',
    ]);
    const a = outcomes[0]!;
    const c = outcomes[2]!;
    // One operation per zone: the two zones' changes have different handles.
    expect(a.ok && c.ok && a.result.handle!.id !== c.result.handle!.id).toBe(true);
    expect(sim.calls({ mutating: true })).toHaveLength(1);
    expect(sim.operations()).toHaveLength(2);
  });
});
