import { type ApiCall, type DnsRecordSet, resolveDnsDesiredState } from '@failover/core';
import { OAuth2Client } from 'google-auth-library';
import { afterEach, describe, expect, it } from 'vitest';
import { type GcpWorld, healthCheck, project, startGcpWorld } from './gcp-emulator-world.js';
import { unwrap } from './unwrap.js';

// Cloud DNS through the adapter: the mapping of each routing policy, changes
// whose deletions are the live set, a stale read detected and retried, and
// invalid input refused before any mutating call.

let world: GcpWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const ref = (name: string, type = 'A') => ({ zone: 'aegis-zone', name, type });
const zoneUrl = (w: GcpWorld) =>
  `${w.emulator.endpoint('gcp.dns')}/dns/v1/projects/${project}/managedZones/aegis-zone`;
const raw = async (w: GcpWorld, name: string, type = 'A') =>
  (
    await fetch(`${zoneUrl(w)}/rrsets/${name}/${type}`, { headers: { authorization: 'Bearer t' } })
  ).json() as Promise<Record<string, unknown>>;

describe('gcp.dns', () => {
  it('reads each routing policy as a DnsRecordSet', async () => {
    world = await startGcpWorld();
    const dns = world.gcp.dnsProvider();
    expect(unwrap(await dns.getRecordSet(ref('api.aegis.io.', 'CNAME')))).toEqual({
      name: 'api.aegis.io.',
      type: 'CNAME',
      ttl: 300,
      routing: 'simple',
      targets: [{ id: 'default', values: ['primary-lb.aegis.io.'], enabled: true, health: 'unknown' }],
    });
    expect(unwrap(await dns.getRecordSet(ref('www.aegis.io'))).targets).toEqual([
      { id: 'wrr-0', values: ['198.51.100.10'], weight: 90, enabled: true, health: 'unknown' },
      { id: 'wrr-1', values: ['198.51.100.20'], weight: 10, enabled: true, health: 'unknown' },
    ]);
    const geo = unwrap(await dns.getRecordSet(ref('geo.aegis.io.')));
    expect(geo.routing).toBe('geo');
    expect(geo.targets.map((t) => [t.id, t.location, t.values])).toEqual([
      ['us-central1', 'us-central1', ['198.51.100.30']],
      ['us-east1', 'us-east1', ['10.128.0.40']],
    ]);
    // primaryBackup with a 5 % trickle: the primary still takes the traffic.
    const app = unwrap(await dns.getRecordSet(ref('app.aegis.io.')));
    expect(app.targets.map((t) => [t.id, t.priority, t.healthCheckId])).toEqual([
      ['primary', 1, healthCheck],
      ['backup-us-east1', 2, healthCheck],
    ]);
    expect(world.mutating()).toBe(0);
  });

  it('follows the runbook: CNAME to the DR load balancer, TTL 60, one change, done after the wait', async () => {
    world = await startGcpWorld();
    const dns = world.gcp.dnsProvider({ zone: 'aegis-zone' });
    const calls: ApiCall[] = [];
    const current = unwrap(await dns.getRecordSet({ name: 'api.aegis.io', type: 'CNAME' }));
    const desired = resolveDnsDesiredState(current, {
      ttl: 60,
      targets: { default: { values: ['dr-lb.aegis.io.'] } },
    })._unsafeUnwrap();
    const ensured = unwrap(
      await dns.ensureRecordSet({ name: 'api.aegis.io', type: 'CNAME' }, desired, {
        onApiCall: (c) => calls.push(c),
      }),
    );
    expect(ensured.changed).toBe(true);
    expect(ensured.before).toEqual(current);
    expect(ensured.handle).toMatchObject({ provider: 'gcp.dns', operation: 'changes.create', id: '1' });
    expect(await raw(world, 'api.aegis.io.', 'CNAME')).toMatchObject({
      ttl: 60,
      rrdatas: ['dr-lb.aegis.io.'],
    });
    unwrap(await dns.waitForChange(ensured.handle!, { timeoutMs: 600_000, onApiCall: (c) => calls.push(c) }));
    expect(calls.map((c) => `${c.operation}${c.mutating ? '*' : ''}`)).toEqual([
      'resourceRecordSets.get',
      'changes.create*',
      ...calls.slice(2).map(() => 'changes.get'),
    ]);
    expect(world.emulator.requests.list({ operation: 'changes.get' }).at(-1)?.status).toBe(200);
    const again = unwrap(await dns.ensureRecordSet({ name: 'api.aegis.io', type: 'CNAME' }, desired));
    expect(again).toEqual({ before: desired, changed: false });
    expect(world.mutating()).toBe(1);
  });

  it('detects a stale read (412 on the deletion), reads again and applies over the fresh set', async () => {
    // An auth client that lets a concurrent writer change the record between the
    // adapter's read and its change, once.
    let interfered = false;
    class RacingAuth extends OAuth2Client {
      override async request<T>(options: Parameters<OAuth2Client['request']>[0]) {
        if (!interfered && options.method === 'POST' && String(options.url).endsWith('/changes')) {
          interfered = true;
          const live = await raw(world!, 'api.aegis.io.', 'CNAME');
          await fetch(`${zoneUrl(world!)}/changes`, {
            method: 'POST',
            headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
            body: JSON.stringify({ deletions: [live], additions: [{ ...live, ttl: 120 }] }),
          });
        }
        return super.request<T>(options);
      }
    }
    world = await startGcpWorld({ auth: new RacingAuth() });
    const dns = world.gcp.dnsProvider({ zone: 'aegis-zone' });
    const current = unwrap(await dns.getRecordSet(ref('api.aegis.io.', 'CNAME')));
    const desired = resolveDnsDesiredState(current, {
      targets: { default: { values: ['dr-lb.aegis.io.'] } },
    })._unsafeUnwrap();
    world.emulator.requests.clear();

    const ensured = unwrap(await dns.ensureRecordSet(ref('api.aegis.io.', 'CNAME'), desired));
    expect(ensured.changed).toBe(true);
    // `before` is the fresh read the change replaced, not the stale one.
    expect(ensured.before?.ttl).toBe(120);
    expect(
      world.emulator.requests.list({ service: 'gcp.dns' }).map((e) => `${e.operation} ${e.status}`),
    ).toEqual([
      'resourceRecordSets.get 200',
      'resourceRecordSets.get 200', // the racing writer's read
      'changes.create 200', // the racing writer's change
      'changes.create 412', // ours, with the stale deletion: rejected, not applied
      'resourceRecordSets.get 200',
      'changes.create 200',
    ]);
    expect(await raw(world, 'api.aegis.io.', 'CNAME')).toMatchObject({
      ttl: 300,
      rrdatas: ['dr-lb.aegis.io.'],
    });
  });

  it('after a stale read, makes no change when the fresh set already matches', async () => {
    let interfered = false;
    class SameChangeAuth extends OAuth2Client {
      override async request<T>(options: Parameters<OAuth2Client['request']>[0]) {
        if (!interfered && options.method === 'POST' && String(options.url).endsWith('/changes')) {
          interfered = true;
          const live = await raw(world!, 'api.aegis.io.', 'CNAME');
          await fetch(`${zoneUrl(world!)}/changes`, {
            method: 'POST',
            headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
            body: JSON.stringify(options.data ?? { deletions: [live] }),
          });
        }
        return super.request<T>(options);
      }
    }
    world = await startGcpWorld({ auth: new SameChangeAuth() });
    const dns = world.gcp.dnsProvider({ zone: 'aegis-zone' });
    const current = unwrap(await dns.getRecordSet(ref('api.aegis.io.', 'CNAME')));
    const desired = resolveDnsDesiredState(current, {
      targets: { default: { values: ['dr-lb.aegis.io.'] } },
    })._unsafeUnwrap();
    const ensured = unwrap(await dns.ensureRecordSet(ref('api.aegis.io.', 'CNAME'), desired));
    expect(ensured.changed).toBe(false);
    expect(world.emulator.requests.list({ operation: 'changes.create' }).map((e) => e.status)).toEqual([
      200, 412,
    ]);
  });

  it('fails over a primary/backup record by trickling all traffic to the backup, and fails back', async () => {
    world = await startGcpWorld();
    const dns = world.gcp.dnsProvider({ zone: 'aegis-zone' });
    const current = unwrap(await dns.getRecordSet(ref('app.aegis.io.')));
    const failover = resolveDnsDesiredState(current, { activeTarget: 'backup-us-east1' })._unsafeUnwrap();
    const moved = unwrap(await dns.ensureRecordSet(ref('app.aegis.io.'), failover));
    unwrap(await dns.waitForChange(moved.handle!, { timeoutMs: 600_000 }));
    const policy = (await raw(world, 'app.aegis.io.')).routingPolicy as {
      primaryBackup: Record<string, unknown>;
      healthCheck: string;
    };
    expect(policy.primaryBackup.trickleTraffic).toBe(1);
    expect(policy.healthCheck).toBe(healthCheck);
    expect(policy.primaryBackup.primaryTargets).toEqual({ externalEndpoints: ['203.0.113.5'] });

    const after = unwrap(await dns.getRecordSet(ref('app.aegis.io.')));
    const failback = resolveDnsDesiredState(after, { activeTarget: 'primary' })._unsafeUnwrap();
    unwrap(await dns.ensureRecordSet(ref('app.aegis.io.'), failback));
    const back = (await raw(world, 'app.aegis.io.')).routingPolicy as {
      primaryBackup: Record<string, unknown>;
    };
    expect(back.primaryBackup.trickleTraffic).toBeUndefined();
  });

  it('moves wrr weights and geo answers, keeping each item in its wire form', async () => {
    world = await startGcpWorld();
    const dns = world.gcp.dnsProvider({ zone: 'aegis-zone' });
    const www = unwrap(await dns.getRecordSet(ref('www.aegis.io.')));
    unwrap(
      await dns.ensureRecordSet(
        ref('www.aegis.io.'),
        resolveDnsDesiredState(www, { activeTarget: 'wrr-1' })._unsafeUnwrap(),
      ),
    );
    expect((await raw(world, 'www.aegis.io.')).routingPolicy).toEqual({
      wrr: {
        items: [
          { weight: 0, rrdatas: ['198.51.100.10'] },
          { weight: 100, rrdatas: ['198.51.100.20'] },
        ],
      },
    });
    const geo = unwrap(await dns.getRecordSet(ref('geo.aegis.io.')));
    const moved = resolveDnsDesiredState(geo, {
      targets: { 'us-central1': { values: ['198.51.100.31'] } },
    })._unsafeUnwrap();
    unwrap(await dns.ensureRecordSet(ref('geo.aegis.io.'), moved));
    const items = (
      (await raw(world, 'geo.aegis.io.')).routingPolicy as { geo: { items: Array<Record<string, unknown>> } }
    ).geo.items;
    expect(items[0]).toEqual({ location: 'us-central1', rrdatas: ['198.51.100.31'] });
    expect(items[1]).toMatchObject({
      location: 'us-east1',
      healthCheckedTargets: { internalLoadBalancers: [{ ipAddress: '10.128.0.40', port: '443' }] },
    });
  });

  it('refuses what Cloud DNS cannot express with invalid-input and no mutating call', async () => {
    world = await startGcpWorld();
    const dns = world.gcp.dnsProvider({ zone: 'aegis-zone' });
    const geo = unwrap(await dns.getRecordSet(ref('geo.aegis.io.')));
    const api = unwrap(await dns.getRecordSet(ref('api.aegis.io.', 'CNAME')));
    const app = unwrap(await dns.getRecordSet(ref('app.aegis.io.')));
    const cases: Array<[string, Parameters<typeof dns.ensureRecordSet>[0], DnsRecordSet]> = [
      [
        'an internal load balancer address',
        ref('geo.aegis.io.'),
        resolveDnsDesiredState(geo, { targets: { 'us-east1': { values: ['10.0.0.9'] } } })._unsafeUnwrap(),
      ],
      [
        'a disabled target',
        ref('api.aegis.io.', 'CNAME'),
        { ...api, targets: [{ ...api.targets[0]!, enabled: false }] },
      ],
      [
        'a routing change',
        ref('api.aegis.io.', 'CNAME'),
        { ...api, routing: 'weighted', targets: [{ ...api.targets[0]!, weight: 1 }] },
      ],
      ['another name', ref('api.aegis.io.', 'CNAME'), { ...api, name: 'other.aegis.io.' }],
      ['a fractional TTL', ref('api.aegis.io.', 'CNAME'), { ...api, ttl: 1.5 }],
      [
        'two simple targets',
        ref('api.aegis.io.', 'CNAME'),
        { ...api, targets: [api.targets[0]!, { ...api.targets[0]!, id: 'x' }] },
      ],
      [
        'split backup priorities',
        ref('app.aegis.io.'),
        { ...app, targets: [app.targets[0]!, { ...app.targets[1]!, priority: 1 }] },
      ],
      [
        'a badly named backup',
        ref('app.aegis.io.'),
        { ...app, targets: [app.targets[0]!, { ...app.targets[1]!, id: 'dr' }] },
      ],
      ['no zone', { name: 'api.aegis.io.', type: 'CNAME' }, api],
    ];
    const provider = world.gcp.dnsProvider();
    for (const [label, target, desired] of cases) {
      const result = await provider.ensureRecordSet(target, desired);
      expect(result.isErr(), label).toBe(true);
      expect(result._unsafeUnwrapErr(), label).toMatchObject({ kind: 'invalid-input', provider: 'gcp.dns' });
    }
    expect(world.mutating()).toBe(0);
  });

  it('surfaces throttling as retryable with the RetryInfo delay; a retry after it succeeds', async () => {
    world = await startGcpWorld();
    const dns = world.gcp.dnsProvider({ zone: 'aegis-zone' });
    const current = unwrap(await dns.getRecordSet(ref('api.aegis.io.', 'CNAME')));
    const desired = { ...current, ttl: 60 };
    world.emulator.faults.add({
      fault: 'throttle',
      operation: 'changes.create',
      times: 1,
      retryAfterSeconds: 3,
    });
    const throttled = await dns.ensureRecordSet(ref('api.aegis.io.', 'CNAME'), desired);
    expect(throttled._unsafeUnwrapErr()).toMatchObject({
      kind: 'throttled',
      retryable: true,
      retryAfterMs: 3_000,
    });
    expect(JSON.stringify(throttled._unsafeUnwrapErr().toJSON())).not.toContain('ya29');
    await world.emulator.clock.sleep(3_000);
    expect(unwrap(await dns.ensureRecordSet(ref('api.aegis.io.', 'CNAME'), desired)).changed).toBe(true);
  });
});
