import { type DnsChange, type DnsRecordSet, type FailoverPlan, runPlan } from '@failover/core';
import { OAuth2Client } from 'google-auth-library';
import { afterEach, describe, expect, it } from 'vitest';
import { type GcpWorld, project, runbookSeed, startGcpWorld } from './gcp-emulator-world.js';
import { unwrap } from './unwrap.js';

// Cloud DNS batching (one changes.create per managed zone), pre-checks that refuse
// what ensureRecordSet refuses, a change answered done at once, and a lost answer.

let world: GcpWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const wait = { timeoutMs: 600_000 };
const simple = (name: string, value: string, ttl = 60): DnsRecordSet => ({
  name,
  type: 'A',
  ttl,
  routing: 'simple',
  targets: [{ id: 'default', values: [value], enabled: true, health: 'unknown' }],
});
const zoneUrl = (w: GcpWorld) =>
  `${w.emulator.endpoint('gcp.dns')}/dns/v1/projects/${project}/managedZones/aegis-zone`;
const creates = (w: GcpWorld) =>
  w.emulator.requests.list({ operation: 'changes.create' }).map((e) => `${e.path.split('/')[8]} ${e.status}`);

/** The runbook world plus `count` A records in aegis-zone and a second zone with two. */
function fleetSeed(count: number) {
  const seed = runbookSeed();
  const zones = seed.projects![0]!.managedZones!;
  for (let i = 0; i < count; i++)
    zones[0]!.recordSets!.push({ name: `svc${i}.aegis.io.`, type: 'A', ttl: 60, rrdatas: ['192.0.2.1'] });
  zones.push({
    name: 'other-zone',
    dnsName: 'other.io.',
    recordSets: [
      { name: 'a.other.io.', type: 'A', ttl: 60, rrdatas: ['192.0.2.1'] },
      { name: 'b.other.io.', type: 'A', ttl: 60, rrdatas: ['192.0.2.1'] },
    ],
  });
  return seed;
}

describe('gcp.dns batching', () => {
  it('50 names in one managed zone are one changes.create; another zone gets its own; one wait covers each', async () => {
    world = await startGcpWorld({ seed: fleetSeed(50) });
    const dns = world.gcp.dnsProvider();
    const batching = dns.batching!;
    const changes: DnsChange[] = [
      ...Array.from({ length: 50 }, (_, i) => ({
        ref: { zone: 'aegis-zone', name: `svc${i}.aegis.io.`, type: 'A' },
        desired: simple(`svc${i}.aegis.io.`, '198.51.100.7'),
      })),
      // Already as desired: no change for it.
      {
        ref: { zone: 'other-zone', name: 'a.other.io.', type: 'A' },
        desired: simple('a.other.io.', '192.0.2.1'),
      },
      {
        ref: { zone: 'other-zone', name: 'b.other.io.', type: 'A' },
        desired: simple('b.other.io.', '198.51.100.8'),
      },
      // Refused on its own, without holding the others back.
      {
        ref: { zone: 'aegis-zone', name: 'svc0.aegis.io.', type: 'A' },
        desired: { ...simple('svc0.aegis.io.', '198.51.100.9'), ttl: -1 },
      },
    ];
    expect(batching.batchKey(changes[0]!.ref)).toBe(batching.batchKey(changes[1]!.ref));
    expect(batching.batchKey(changes[0]!.ref)).not.toBe(batching.batchKey(changes[50]!.ref));
    const outcomes = unwrap(await batching.ensureRecordSets(changes));
    expect(outcomes).toHaveLength(changes.length);
    expect(creates(world).sort()).toEqual(['aegis-zone 200', 'other-zone 200']);
    const handles = new Set(outcomes.slice(0, 50).map((o) => (o.ok ? o.result.handle?.id : 'error')));
    expect(handles.size).toBe(1);
    expect(outcomes[50]).toMatchObject({ ok: true, result: { changed: false } });
    expect(outcomes[51]).toMatchObject({ ok: true, result: { changed: true } });
    expect(outcomes[52]).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
    for (const outcome of [outcomes[0]!, outcomes[51]!]) {
      if (!outcome.ok) throw outcome.error;
      unwrap(await dns.waitForChange(outcome.result.handle!, wait));
    }
    const read = unwrap(await dns.getRecordSet({ zone: 'aegis-zone', name: 'svc49.aegis.io.', type: 'A' }));
    expect(read.targets[0]!.values).toEqual(['198.51.100.7']);
    // Again: every set already reads as desired, so nothing is sent.
    const again = unwrap(await batching.ensureRecordSets(changes.slice(0, 52)));
    expect(again.every((o) => o.ok && !o.result.changed)).toBe(true);
    expect(world.emulator.requests.count({ operation: 'changes.create' })).toBe(2);
  });

  it('a set moved since the read makes the zone change 412; the chunk is re-read and sent once more', async () => {
    let raced = false;
    class RacingAuth extends OAuth2Client {
      override async request<T>(options: Parameters<OAuth2Client['request']>[0]) {
        if (!raced && options.method === 'POST' && String(options.url).endsWith('/changes')) {
          raced = true;
          // Someone else changes svc1 between our read and our change.
          await fetch(`${zoneUrl(world!)}/rrsets/svc1.aegis.io./A`, {
            method: 'PATCH',
            headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
            body: JSON.stringify({ ttl: 61, rrdatas: ['192.0.2.1'] }),
          });
        }
        return super.request<T>(options);
      }
    }
    world = await startGcpWorld({ seed: fleetSeed(3), auth: new RacingAuth() });
    const dns = world.gcp.dnsProvider();
    const changes: DnsChange[] = [0, 1, 2].map((i) => ({
      ref: { zone: 'aegis-zone', name: `svc${i}.aegis.io.`, type: 'A' },
      desired: simple(`svc${i}.aegis.io.`, '198.51.100.7'),
    }));
    const outcomes = unwrap(await dns.batching!.ensureRecordSets(changes));
    expect(outcomes.every((o) => o.ok && o.result.changed)).toBe(true);
    expect(creates(world)).toEqual(['aegis-zone 412', 'aegis-zone 200']);
  });

  it('precheckRecordSet refuses what ensureRecordSet refuses, before any mutating call', async () => {
    world = await startGcpWorld();
    const dns = world.gcp.dnsProvider();
    const www = { zone: 'aegis-zone', name: 'www.aegis.io.', type: 'A' };
    const observed = unwrap(await dns.getRecordSet(www));
    const cases: DnsRecordSet[] = [
      // A negative weight.
      { ...observed, targets: observed.targets.map((t, i) => ({ ...t, weight: i === 0 ? -1 : 10 })) },
      // A disabled target: Cloud DNS has no disabled items.
      { ...observed, targets: observed.targets.map((t, i) => ({ ...t, enabled: i !== 0 })) },
      // Another routing than the live set's.
      simple('www.aegis.io.', '198.51.100.7'),
    ];
    for (const desired of cases) {
      const pre = await dns.precheckRecordSet!(www, desired, observed);
      const ensured = await dns.ensureRecordSet(www, desired);
      expect(pre._unsafeUnwrapErr().kind, JSON.stringify(desired.targets)).toBe('invalid-input');
      expect(ensured._unsafeUnwrapErr().kind).toBe(pre._unsafeUnwrapErr().kind);
    }
    expect(world.mutating()).toBe(0);
    unwrap(await dns.precheckRecordSet!(www, { ...observed, ttl: 30 }, observed));
  });

  it('a change Cloud DNS answers done at once needs no poll', async () => {
    const seed = runbookSeed();
    seed.projects![0]!.managedZones![0]!.changesDoneAtOnce = true;
    world = await startGcpWorld({ seed });
    const dns = world.gcp.dnsProvider();
    const api = { zone: 'aegis-zone', name: 'api.aegis.io.', type: 'CNAME' };
    const desired: DnsRecordSet = {
      name: 'api.aegis.io.',
      type: 'CNAME',
      ttl: 60,
      routing: 'simple',
      targets: [{ id: 'default', values: ['dr-lb.aegis.io.'], enabled: true, health: 'unknown' }],
    };
    const ensured = unwrap(await dns.ensureRecordSet(api, desired));
    expect(ensured.handle?.detail).toMatchObject({ done: true });
    unwrap(await dns.waitForChange(ensured.handle!, wait));
    expect(world.emulator.requests.count({ operation: 'changes.get' })).toBe(0);
  });

  it('changes.create applied but its answer lost: the retry sends nothing, the set already reads as desired', async () => {
    world = await startGcpWorld();
    const dns = world.gcp.dnsProvider();
    const api = { zone: 'aegis-zone', name: 'api.aegis.io.', type: 'CNAME' };
    const desired: DnsRecordSet = {
      name: 'api.aegis.io.',
      type: 'CNAME',
      ttl: 60,
      routing: 'simple',
      targets: [{ id: 'default', values: ['dr-lb.aegis.io.'], enabled: true, health: 'unknown' }],
    };
    world.emulator.faults.add({
      fault: 'applied-then-500',
      service: 'gcp.dns',
      operation: 'changes.create',
      times: 1,
    });
    expect((await dns.ensureRecordSet(api, desired))._unsafeUnwrapErr().kind).toBe('unavailable');
    const again = unwrap(await dns.ensureRecordSet(api, desired));
    expect(again.changed).toBe(false);
    expect(creates(world)).toEqual(['aegis-zone 503']);
  });
});

describe('gcp.dns batching through the executor', () => {
  it('a plan that switches 50 names of one managed zone sends one changes.create and every step succeeds', async () => {
    world = await startGcpWorld({ seed: fleetSeed(50), timeScale: 1_000 });
    const steps = Array.from({ length: 50 }, (_, i) => ({
      id: `switch-${i}`,
      kind: 'action' as const,
      action: {
        type: 'dns' as const,
        provider: 'dns',
        record: { zone: 'aegis-zone', name: `svc${i}.aegis.io.`, type: 'A' },
        desired: { ttl: 60, targets: { default: { values: ['198.51.100.7'] } } },
      },
    }));
    const plan: FailoverPlan = {
      version: 1,
      id: 'dns-fleet',
      name: '50 names',
      sourceRegion: 'us-east1',
      targetRegion: 'us-central1',
      steps,
    };
    const run = (
      await runPlan(plan, { providers: { dns: world.gcp.dnsProvider() }, time: world.emulator.clock })
    )._unsafeUnwrap();
    expect(run.status, run.error?.message).toBe('succeeded');
    expect(run.steps.every((step) => step.status === 'succeeded' && step.changed)).toBe(true);
    expect(creates(world)).toEqual(['aegis-zone 200']);
    // Reads: one listing of the zone each for the pre-check pass, the steps and the batch; the
    // pre-checks decide on the sets those listings observed, so no name is read on its own.
    const count = (operation: string) => world!.emulator.requests.count({ operation });
    expect(count('resourceRecordSets.list')).toBe(3);
    expect(count('resourceRecordSets.get')).toBe(0);
  });

  it('observeRecordSets reads 50 names of one managed zone with one listing, each as getRecordSet would', async () => {
    world = await startGcpWorld({ seed: fleetSeed(50) });
    const dns = world.gcp.dnsProvider();
    const refs = [
      ...Array.from({ length: 50 }, (_, i) => ({ zone: 'aegis-zone', name: `svc${i}.aegis.io.`, type: 'A' })),
      { zone: 'aegis-zone', name: 'missing.aegis.io.', type: 'A' },
      { zone: 'other-zone', name: 'a.other.io.', type: 'A' },
    ];
    const observed = unwrap(await dns.batching!.observeRecordSets!(refs));
    expect(observed).toHaveLength(52);
    // aegis-zone: one page of its sets; other-zone's one ref is read alone.
    expect(world.emulator.requests.count({ operation: 'resourceRecordSets.list' })).toBe(1);
    expect(world.emulator.requests.count({ operation: 'resourceRecordSets.get' })).toBe(1);
    expect(observed[17]).toEqual({ ok: true, recordSet: unwrap(await dns.getRecordSet(refs[17]!)) });
    expect(observed[50]!.ok ? undefined : observed[50]!.error.kind).toBe('not-found');
    expect(observed[51]!.ok).toBe(true);
  });
});
