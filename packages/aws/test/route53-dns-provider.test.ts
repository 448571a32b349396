import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import type { ApiCall, DnsRecordSet } from '@failover/core';
import { resolveDnsDesiredState } from '@failover/core';
import type { Emulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { awsOn, awsWorld, credentials, mutations, startAwsEmulator, zoneId } from './aws-emulator.js';

let emulator: Emulator;
afterEach(async () => {
  expect(emulator.requests.list().filter((entry) => entry.internalError)).toEqual([]);
  await emulator.stop();
});

const api = { zone: zoneId, name: 'api.ecommerce.com', type: 'A' };
const shop = { zone: zoneId, name: 'shop.ecommerce.com', type: 'A' };
const www = { zone: zoneId, name: 'www.ecommerce.com', type: 'A' };

function rawClient() {
  return new Route53Client({
    region: 'us-east-1',
    endpoint: emulator.endpoint('aws.route53'),
    credentials,
    maxAttempts: 1,
  });
}

async function rawRecords(name: string) {
  const out = await rawClient().send(
    new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: name, StartRecordType: 'A' }),
  );
  return (out.ResourceRecordSets ?? []).filter((record) => record.Name === `${name}.`);
}

const calls = (operation?: string) =>
  emulator.requests.count({ service: 'aws.route53', ...(operation && { operation }) });

describe('Route 53 reading', () => {
  it('maps an alias failover record set: DNS names as values, PRIMARY = 1, health checks, no TTL of its own', async () => {
    emulator = await startAwsEmulator();
    const dns = awsOn(emulator).dnsProvider();
    const set = (await dns.getRecordSet(shop))._unsafeUnwrap();
    expect(set).toEqual({
      name: 'shop.ecommerce.com.',
      type: 'A',
      ttl: 0,
      routing: 'failover',
      targets: [
        {
          id: 'primary',
          values: ['ecommerce-alb-us-east-1.elb.amazonaws.com.'],
          priority: 1,
          enabled: true,
          healthCheckId: 'hc-alias-east',
          health: 'healthy',
        },
        {
          id: 'secondary',
          values: ['ecommerce-alb-us-west-2.elb.amazonaws.com.'],
          priority: 2,
          enabled: true,
          healthCheckId: 'hc-alias-west',
          health: 'healthy',
        },
      ],
    } satisfies DnsRecordSet);
    // One page of records, then config and checker status of each health check.
    expect(calls('ListResourceRecordSets')).toBe(1);
    expect(calls('GetHealthCheck')).toBe(2);
    expect(calls('GetHealthCheckStatus')).toBe(2);
  });

  it('maps a simple record set to one `default` target and finds the zone by name, or from the record name', async () => {
    emulator = await startAwsEmulator();
    const dns = awsOn(emulator).dnsProvider();
    const byName = (
      await dns.getRecordSet({ zone: 'ecommerce.com', name: 'status.ecommerce.com', type: 'A' })
    )._unsafeUnwrap();
    expect(byName).toEqual({
      name: 'status.ecommerce.com.',
      type: 'A',
      ttl: 300,
      routing: 'simple',
      targets: [{ id: 'default', values: ['192.0.2.30'], enabled: true }],
    });
    expect(calls('ListHostedZonesByName')).toBe(1);
    // No zone: walk up from the record name (status.ecommerce.com, then ecommerce.com), cached afterwards.
    const inferred = awsOn(emulator).dnsProvider();
    expect(
      (await inferred.getRecordSet({ name: 'status.ecommerce.com', type: 'A' }))._unsafeUnwrap().ttl,
    ).toBe(300);
    expect(
      (await inferred.getRecordSet({ name: 'www.ecommerce.com', type: 'A' }))._unsafeUnwrap().routing,
    ).toBe('weighted');
    // status.ecommerce.com (no zone), ecommerce.com (found); www.ecommerce.com (no zone), then the cache.
    expect(calls('ListHostedZonesByName')).toBe(4);
  });

  it('reports health from the checkers, with Disabled counting as healthy and Inverted flipping it', async () => {
    const seed = awsWorld();
    seed.route53!.healthChecks![0]!.healthy = false;
    seed.route53!.healthChecks![1]!.inverted = true;
    emulator = await startAwsEmulator(seed);
    const set = (await awsOn(emulator).dnsProvider().getRecordSet(api))._unsafeUnwrap();
    expect(set.targets.map((target) => [target.id, target.health, target.enabled])).toEqual([
      ['primary', 'unhealthy', true],
      ['secondary', 'unhealthy', true],
    ]);
    const quiet = awsOn(emulator).dnsProvider({ observeHealth: false });
    expect((await quiet.getRecordSet(api))._unsafeUnwrap().targets[0]!.health).toBeUndefined();
  });

  it('pages across many record sets: a 40-target weighted set spread over pages of 7 comes back whole', async () => {
    const seed = awsWorld();
    const records = seed.route53!.hostedZones![0]!.recordSets!;
    for (let i = 0; i < 300; i++)
      records.push({
        name: `h${String(i).padStart(3, '0')}.ecommerce.com`,
        type: 'A',
        ttl: 60,
        values: ['10.0.0.1'],
      });
    for (let i = 0; i < 40; i++) {
      records.push({
        name: 'many.ecommerce.com',
        type: 'A',
        ttl: 60,
        values: [`10.1.0.${i}`],
        setIdentifier: `t${String(i).padStart(2, '0')}`,
        weight: i,
      });
    }
    records.push({ name: 'many.ecommerce.com', type: 'AAAA', ttl: 60, values: ['2001:db8::1'] });
    emulator = await startAwsEmulator(seed);
    const dns = awsOn(emulator).dnsProvider({ pageSize: 7 });
    const many = { zone: zoneId, name: 'many.ecommerce.com', type: 'A' };
    const set = (await dns.getRecordSet(many))._unsafeUnwrap();
    expect(set.targets).toHaveLength(40);
    expect(set.targets.map((target) => target.weight)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(calls('ListResourceRecordSets')).toBe(6); // 40 records from the start of the set, 7 a page

    // Moving weights across those pages: one batch with only the targets that change.
    const desired = resolveDnsDesiredState(set, {
      targets: { t00: { weight: 255 }, t39: { weight: 0 } },
    })._unsafeUnwrap();
    const ensured = (await dns.ensureRecordSet(many, desired))._unsafeUnwrap();
    expect(ensured.changed).toBe(true);
    expect(ensured.handle?.detail).toMatchObject({ changes: 2 });
    expect((await dns.getRecordSet(many))._unsafeUnwrap().targets.map((target) => target.weight)).toEqual(
      desired.targets.map((target) => target.weight),
    );
  });
});

describe('Route 53 changes', () => {
  it('swaps the active failover record end to end: one batch of two UPSERTs keeping the aliases, then INSYNC', async () => {
    emulator = await startAwsEmulator(awsWorld(), { 'route53.change': 45_000 });
    const dns = awsOn(emulator).dnsProvider();
    const current = (await dns.getRecordSet(shop))._unsafeUnwrap();
    const desired = resolveDnsDesiredState(current, { activeTarget: 'secondary' })._unsafeUnwrap();
    const started = emulator.clock.now();
    const ensured = (await dns.ensureRecordSet(shop, desired))._unsafeUnwrap();
    expect(ensured.before?.targets.map((target) => target.priority)).toEqual([1, 2]);
    expect(ensured).toMatchObject({
      changed: true,
      handle: {
        provider: 'aws.route53',
        operation: 'ChangeResourceRecordSets',
        detail: { zoneId, changes: 2 },
      },
    });
    expect(ensured.handle?.id).toMatch(/^C[A-Z0-9]+$/);
    expect(emulator.requests.list({ mutating: true }).map((entry) => entry.operation)).toEqual([
      'ChangeResourceRecordSets',
    ]);

    const raw = await rawRecords('shop.ecommerce.com');
    expect(
      raw.map((record) => [
        record.SetIdentifier,
        record.Failover,
        record.AliasTarget?.HostedZoneId,
        record.TTL,
      ]),
    ).toEqual([
      ['primary', 'SECONDARY', 'Z35SXDOTRQ7X7K', undefined],
      ['secondary', 'PRIMARY', 'Z1H1FL5HABSF5', undefined],
    ]);

    (await dns.waitForChange(ensured.handle!, { timeoutMs: 600_000 }))._unsafeUnwrap();
    expect(emulator.clock.now() - started).toBeGreaterThanOrEqual(45_000);
    expect(calls('GetChange')).toBeGreaterThanOrEqual(2);
    expect(emulator.requests.list({ operation: 'GetChange' }).at(-1)?.status).toBe(200);
    const after = (await dns.getRecordSet(shop))._unsafeUnwrap();
    expect(after.targets.find((target) => target.priority === 1)?.id).toBe('secondary');
  });

  it('takes a target out of rotation through its health check (Disabled + Inverted) and back', async () => {
    emulator = await startAwsEmulator();
    const dns = awsOn(emulator).dnsProvider();
    const current = (await dns.getRecordSet(api))._unsafeUnwrap();
    const off = resolveDnsDesiredState(current, { targets: { primary: { enabled: false } } })._unsafeUnwrap();
    const ensured = (await dns.ensureRecordSet(api, off))._unsafeUnwrap();
    expect(ensured.handle).toMatchObject({
      operation: 'UpdateHealthCheck',
      detail: { healthChecks: ['hc-primary'], changes: 0 },
    });
    expect(ensured.handle?.id).toBeUndefined();
    (await dns.waitForChange(ensured.handle!, { timeoutMs: 1_000 }))._unsafeUnwrap();
    const disabled = (await dns.getRecordSet(api))._unsafeUnwrap().targets[0]!;
    expect(disabled).toMatchObject({ enabled: false, health: 'unhealthy' });

    const on = resolveDnsDesiredState(current, { targets: { primary: { enabled: true } } })._unsafeUnwrap();
    (await dns.ensureRecordSet(api, on))._unsafeUnwrap();
    expect((await dns.getRecordSet(api))._unsafeUnwrap().targets[0]).toMatchObject({
      enabled: true,
      health: 'healthy',
    });
    expect(emulator.requests.list({ mutating: true }).map((entry) => entry.operation)).toEqual([
      'UpdateHealthCheck',
      'UpdateHealthCheck',
    ]);
  });

  it('survives PriorRequestNotComplete: a second change to the zone waits for the first on the clock', async () => {
    emulator = await startAwsEmulator(awsWorld(), { 'route53.change': 30_000 });
    const dns = awsOn(emulator).dnsProvider();
    const first = resolveDnsDesiredState((await dns.getRecordSet(api))._unsafeUnwrap(), {
      activeTarget: 'secondary',
    })._unsafeUnwrap();
    (await dns.ensureRecordSet(api, first))._unsafeUnwrap();
    const second = resolveDnsDesiredState((await dns.getRecordSet(www))._unsafeUnwrap(), {
      activeTarget: 'west',
    })._unsafeUnwrap();
    const ensured = await dns.ensureRecordSet(www, second);
    expect(ensured.isOk()).toBe(true);
    const statuses = emulator.requests
      .list({ operation: 'ChangeResourceRecordSets' })
      .map((entry) => entry.status);
    expect(statuses[0]).toBe(200);
    expect(statuses.at(-1)).toBe(200);
    expect(statuses.slice(1, -1)).toEqual(statuses.slice(1, -1).map(() => 400));
    expect(statuses.length).toBeGreaterThanOrEqual(3);
  });

  it('surfaces PriorRequestNotComplete as retryable throttling when its own retries are off', async () => {
    emulator = await startAwsEmulator();
    const dns = awsOn(emulator, { retry: { maxAttempts: 1 } }).dnsProvider();
    const first = resolveDnsDesiredState((await dns.getRecordSet(api))._unsafeUnwrap(), {
      activeTarget: 'secondary',
    })._unsafeUnwrap();
    (await dns.ensureRecordSet(api, first))._unsafeUnwrap();
    const second = resolveDnsDesiredState((await dns.getRecordSet(www))._unsafeUnwrap(), {
      ttl: 30,
    })._unsafeUnwrap();
    const error = (await dns.ensureRecordSet(www, second))._unsafeUnwrapErr();
    expect(error).toMatchObject({
      kind: 'throttled',
      retryable: true,
      retryAfterMs: 10_000,
      provider: 'aws.route53',
      operation: 'ChangeResourceRecordSets',
    });
    expect(error.message).toContain('PriorRequestNotComplete');
  });

  it('survives injected throttling: the adapter backs off on its clock, the SDK retries are counted too', async () => {
    emulator = await startAwsEmulator();
    const dns = awsOn(emulator).dnsProvider();
    const desired = resolveDnsDesiredState((await dns.getRecordSet(api))._unsafeUnwrap(), {
      activeTarget: 'secondary',
    })._unsafeUnwrap();
    emulator.faults.add({
      fault: 'throttle',
      service: 'aws.route53',
      operation: 'ChangeResourceRecordSets',
      times: 2,
    });
    const before = emulator.clock.now();
    expect((await dns.ensureRecordSet(api, desired))._unsafeUnwrap().changed).toBe(true);
    expect(
      emulator.requests.list({ operation: 'ChangeResourceRecordSets' }).map((entry) => entry.status),
    ).toEqual([400, 400, 200]);
    // Full jitter, but never less than the 1 s Retry-After each throttle carries.
    expect(emulator.clock.now() - before).toBeGreaterThanOrEqual(2_000);

    // With the SDK's own retries on, each HTTP attempt is still reported to onApiCall.
    const reported: ApiCall[] = [];
    const sdkRetries = awsOn(emulator, {
      clientConfig: { maxAttempts: 3, retryMode: 'standard' },
      retry: { maxAttempts: 1 },
    }).dnsProvider({ observeHealth: false });
    emulator.faults.add({
      fault: 'throttle',
      service: 'aws.route53',
      operation: 'ListResourceRecordSets',
      times: 1,
    });
    (await sdkRetries.getRecordSet(api, { onApiCall: (call) => reported.push(call) }))._unsafeUnwrap();
    expect(reported.filter((call) => call.operation === 'ListResourceRecordSets')).toEqual([
      { provider: 'aws.route53', operation: 'ListResourceRecordSets', mutating: false },
      { provider: 'aws.route53', operation: 'ListResourceRecordSets', mutating: false },
    ]);
  });

  it('observes without mutating: getRecordSet and an ensure that already matches make zero mutating calls', async () => {
    emulator = await startAwsEmulator();
    const dns = awsOn(emulator).dnsProvider();
    const reported: ApiCall[] = [];
    for (const ref of [api, www, shop]) {
      const current = (
        await dns.getRecordSet(ref, { onApiCall: (call) => reported.push(call) })
      )._unsafeUnwrap();
      const same = resolveDnsDesiredState(current, {})._unsafeUnwrap();
      expect(
        (await dns.ensureRecordSet(ref, same, { onApiCall: (call) => reported.push(call) }))._unsafeUnwrap(),
      ).toMatchObject({ changed: false });
    }
    expect(mutations(emulator)).toBe(0);
    expect(reported.some((call) => call.mutating)).toBe(false);
    expect(reported).toHaveLength(emulator.requests.count());
  });

  it('creates a missing record set in one batch, and replaces a simple set by a weighted one atomically', async () => {
    emulator = await startAwsEmulator();
    const dns = awsOn(emulator).dnsProvider();
    const status = { zone: zoneId, name: 'status.ecommerce.com', type: 'A' };
    const weighted: DnsRecordSet = {
      name: 'status.ecommerce.com',
      type: 'A',
      ttl: 60,
      routing: 'weighted',
      targets: [
        { id: 'east', values: ['192.0.2.31'], weight: 90, enabled: true },
        { id: 'west', values: ['198.51.100.31'], weight: 10, enabled: true },
      ],
    };
    const replaced = (await dns.ensureRecordSet(status, weighted))._unsafeUnwrap();
    expect(replaced.before?.routing).toBe('simple');
    expect(replaced.handle?.detail).toMatchObject({ changes: 3 });
    expect(emulator.requests.count({ operation: 'ChangeResourceRecordSets' })).toBe(1);
    expect((await dns.getRecordSet(status))._unsafeUnwrap().targets.map((target) => target.id)).toEqual([
      'east',
      'west',
    ]);
  });
});

describe('Route 53 invalid input', () => {
  it('rejects an unknown zone, a bad desired state and what Route 53 cannot express, with no mutation', async () => {
    const seed = awsWorld();
    seed.route53!.hostedZones![0]!.recordSets!.push({
      name: 'geo.ecommerce.com',
      type: 'A',
      ttl: 60,
      values: ['192.0.2.1'],
      setIdentifier: 'use1',
      region: 'us-east-1',
    });
    emulator = await startAwsEmulator(seed);
    const dns = awsOn(emulator).dnsProvider();
    const current = (await dns.getRecordSet(api))._unsafeUnwrap();

    expect((await dns.getRecordSet({ ...api, zone: 'ZNOSUCHZONE' }))._unsafeUnwrapErr()).toMatchObject({
      kind: 'not-found',
      provider: 'aws.route53',
    });
    expect(
      (await dns.ensureRecordSet({ ...api, zone: 'ZNOSUCHZONE' }, current))._unsafeUnwrapErr().kind,
    ).toBe('not-found');
    expect((await dns.getRecordSet({ ...api, zone: 'example.org' }))._unsafeUnwrapErr()).toMatchObject({
      kind: 'not-found',
      message: 'No hosted zone is named example.org..',
    });
    expect(
      (await dns.getRecordSet({ zone: zoneId, name: 'api.ecommerce.com' } as never))._unsafeUnwrapErr(),
    ).toMatchObject({ kind: 'invalid-input', path: 'type' });

    const badPriority = {
      ...current,
      targets: [{ ...current.targets[0]!, priority: 3 }, current.targets[1]!],
    };
    expect((await dns.ensureRecordSet(api, badPriority))._unsafeUnwrapErr()).toMatchObject({
      kind: 'invalid-input',
      path: 'targets[0].priority',
    });
    const wwwSet = (await dns.getRecordSet(www))._unsafeUnwrap();
    const noCheck = resolveDnsDesiredState(wwwSet, { targets: { west: { enabled: false } } })._unsafeUnwrap();
    expect((await dns.ensureRecordSet(www, noCheck))._unsafeUnwrapErr().message).toContain(
      'through a health check',
    );
    const shopSet = (await dns.getRecordSet(shop))._unsafeUnwrap();
    expect((await dns.ensureRecordSet(shop, { ...shopSet, ttl: 60 }))._unsafeUnwrapErr()).toMatchObject({
      kind: 'invalid-input',
      path: 'ttl',
    });
    expect((await dns.ensureRecordSet(api, { ...current, routing: 'geo' }))._unsafeUnwrapErr().kind).toBe(
      'invalid-input',
    );
    expect(
      (await dns.getRecordSet({ zone: zoneId, name: 'geo.ecommerce.com', type: 'A' }))._unsafeUnwrapErr()
        .kind,
    ).toBe('unsupported');
    const unknownCheck = {
      ...current,
      targets: [{ ...current.targets[0]!, healthCheckId: 'hc-nope' }, current.targets[1]!],
    };
    expect((await dns.ensureRecordSet(api, unknownCheck))._unsafeUnwrapErr()).toMatchObject({
      kind: 'not-found',
      operation: 'GetHealthCheck',
    });
    expect(mutations(emulator)).toBe(0);
  });

  it('lets Route 53 reject what only it can check, and maps InvalidChangeBatch to invalid-input', async () => {
    emulator = await startAwsEmulator();
    const dns = awsOn(emulator).dnsProvider();
    const current = (await dns.getRecordSet(api))._unsafeUnwrap();
    const notAnIp = resolveDnsDesiredState(current, {
      targets: { primary: { values: ['not-an-ip'] } },
    })._unsafeUnwrap();
    const error = (await dns.ensureRecordSet(api, notAnIp))._unsafeUnwrapErr();
    expect(error).toMatchObject({
      kind: 'invalid-input',
      retryable: false,
      operation: 'ChangeResourceRecordSets',
    });
    expect(error.message).toContain('InvalidChangeBatch');
    expect((await dns.getRecordSet(api))._unsafeUnwrap()).toEqual(current);
  });
});

describe('Route 53 rate budget', () => {
  it('shares one 5-per-second budget per account across concurrent steps; another account has its own', async () => {
    emulator = await startAwsEmulator();
    const aws = awsOn(emulator);
    const one = aws.dnsProvider({ observeHealth: false });
    const two = aws.dnsProvider({ observeHealth: false });
    // 8 reads of 3 requests each (1 list + 2 health checks) = 24 requests on one account.
    const sent: number[] = [];
    const onApiCall = () => sent.push(emulator.clock.now());
    const start = emulator.clock.now();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? one : two).getRecordSet(api, { onApiCall })),
    );
    expect(results.every((result) => result.isOk())).toBe(true);
    const times = sent.map((at) => at - start);
    expect(times).toHaveLength(24);
    expect(emulator.requests.count({ service: 'aws.route53' })).toBe(24);
    // A burst of 5, then one request every 200 ms.
    expect(Math.max(...times)).toBe((24 - 5) * 200);
    for (let t = 0; t <= Math.max(...times); t += 100) {
      expect(times.filter((at) => at >= t && at < t + 1_000).length).toBeLessThanOrEqual(10);
    }

    emulator.requests.clear();
    const other = aws.dnsProvider({ observeHealth: false, account: 'dr-account' });
    const before = emulator.clock.now();
    (await other.getRecordSet(api))._unsafeUnwrap();
    expect(emulator.clock.now() - before).toBe(0);
  });
});
