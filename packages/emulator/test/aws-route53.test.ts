import {
  type Change,
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  GetHealthCheckCommand,
  GetHealthCheckStatusCommand,
  GetHostedZoneCommand,
  ListHealthChecksCommand,
  ListHostedZonesByNameCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  UpdateHealthCheckCommand,
} from '@aws-sdk/client-route-53';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { awsSeed, route53, zoneId } from './aws-clients.js';

let emulator: Emulator;
afterEach(async () => {
  expect(emulator.requests.list().filter((entry) => entry.internalError)).toEqual([]);
  await emulator.stop();
});

async function start(seed = awsSeed(), durations?: Record<string, number>) {
  emulator = await startEmulator({ timeScale: 0, seed: { aws: seed }, ...(durations && { durations }) });
  return route53(emulator);
}

const upsert = (record: ResourceRecordSet): Change => ({ Action: 'UPSERT', ResourceRecordSet: record });

async function listAll(client: ReturnType<typeof route53>, maxItems?: number) {
  const pages: ResourceRecordSet[][] = [];
  let next: { StartRecordName?: string; StartRecordType?: string; StartRecordIdentifier?: string } = {};
  for (;;) {
    const page = await client.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, MaxItems: maxItems, ...next } as never),
    );
    pages.push(page.ResourceRecordSets ?? []);
    if (!page.IsTruncated) return pages;
    next = {
      StartRecordName: page.NextRecordName,
      StartRecordType: page.NextRecordType,
      StartRecordIdentifier: page.NextRecordIdentifier,
    };
  }
}

describe('Route 53 hosted zones', () => {
  it('gets, lists and finds zones by name, with /hostedzone/ ids the SDK strips', async () => {
    const client = await start();
    const zone = await client.send(new GetHostedZoneCommand({ Id: `/hostedzone/${zoneId}` }));
    expect(zone.HostedZone).toMatchObject({
      Id: `/hostedzone/${zoneId}`,
      Name: 'ecommerce.com.',
      ResourceRecordSetCount: 7,
    });
    expect(zone.HostedZone?.Config?.PrivateZone).toBe(false);
    expect(zone.DelegationSet?.NameServers).toHaveLength(4);

    const all = await client.send(new ListHostedZonesCommand({ MaxItems: 1 }));
    expect(all.IsTruncated).toBe(true);
    const rest = await client.send(new ListHostedZonesCommand({ Marker: all.NextMarker }));
    expect([...(all.HostedZones ?? []), ...(rest.HostedZones ?? [])].map((z) => z.Name)).toEqual([
      'ecommerce.com.',
      'internal.ecommerce.com.',
    ]);

    const byName = await client.send(
      new ListHostedZonesByNameCommand({ DNSName: 'internal.ecommerce.com', MaxItems: 1 }),
    );
    expect(byName.HostedZones?.[0]).toMatchObject({
      Id: '/hostedzone/Z0INTERNAL456',
      Config: { PrivateZone: true },
    });
    expect(byName.IsTruncated).toBe(false);
  });

  it('answers an unknown zone with NoSuchHostedZone 404', async () => {
    const client = await start();
    const failure = await client.send(new GetHostedZoneCommand({ Id: 'ZNOPE' })).catch((error) => error);
    expect(failure.name).toBe('NoSuchHostedZone');
    expect(failure.$metadata.httpStatusCode).toBe(404);
    expect(failure.message).toContain('ZNOPE');
  });
});

describe('Route 53 ListResourceRecordSets', () => {
  it('returns every routing kind in Route 53 order (labels reversed, then type, then identifier)', async () => {
    const client = await start();
    const [records] = await listAll(client);
    expect(records!.map((record) => [record.Name, record.Type, record.SetIdentifier])).toEqual([
      ['ecommerce.com.', 'NS', undefined],
      ['ecommerce.com.', 'SOA', undefined],
      ['api.ecommerce.com.', 'A', 'primary'],
      ['api.ecommerce.com.', 'A', 'secondary'],
      ['shop.ecommerce.com.', 'CNAME', 'east'],
      ['shop.ecommerce.com.', 'CNAME', 'west'],
      ['status.ecommerce.com.', 'A', undefined],
    ]);
    const primary = records![2]!;
    expect(primary).toMatchObject({
      Failover: 'PRIMARY',
      HealthCheckId: 'hc-primary',
      AliasTarget: {
        HostedZoneId: 'Z35SXDOTRQ7X7K',
        DNSName: 'ecommerce-alb-us-east-1.elb.amazonaws.com.',
        EvaluateTargetHealth: true,
      },
    });
    expect(primary.TTL).toBeUndefined();
    expect(records![4]).toMatchObject({
      Weight: 100,
      TTL: 60,
      ResourceRecords: [{ Value: 'east.shop.ecommerce.com' }],
    });
  });

  it('pages through hundreds of record sets with NextRecordName/Type/Identifier and loses none', async () => {
    const seed = awsSeed();
    const zone = seed.route53!.hostedZones![0]!;
    for (let i = 0; i < 240; i++) {
      zone.recordSets!.push({
        name: `host-${String(i).padStart(3, '0')}.ecommerce.com`,
        type: 'A',
        ttl: 60,
        values: [`10.0.${i >> 8}.${i & 255}`],
      });
    }
    // Weighted sets of one name and type, so a page boundary falls between identifiers.
    for (let i = 0; i < 9; i++) {
      zone.recordSets!.push({
        name: 'w.ecommerce.com',
        type: 'A',
        setIdentifier: `w${i}`,
        weight: i,
        ttl: 60,
        values: ['10.9.9.9'],
      });
    }
    const client = await start(seed);
    const pages = await listAll(client, 100);
    expect(pages.map((page) => page.length)).toEqual([100, 100, 56]);
    const all = pages.flat();
    expect(all).toHaveLength(256);
    expect(new Set(all.map((record) => `${record.Name}|${record.Type}|${record.SetIdentifier}`)).size).toBe(
      256,
    );

    const small = await listAll(client, 7);
    expect(small.flat()).toEqual(all);
    const boundary = await client.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        StartRecordName: 'w.ecommerce.com',
        StartRecordType: 'A',
        StartRecordIdentifier: 'w5',
        MaxItems: 2,
      }),
    );
    expect(boundary.ResourceRecordSets?.map((record) => record.SetIdentifier)).toEqual(['w5', 'w6']);
    expect(boundary).toMatchObject({
      IsTruncated: true,
      NextRecordName: 'w.ecommerce.com.',
      NextRecordType: 'A',
      NextRecordIdentifier: 'w7',
    });
    expect(emulator.requests.count({ operation: 'ListResourceRecordSets', mutating: false })).toBeGreaterThan(
      38,
    );
  });

  it('rejects a type without a name and bad maxitems with InvalidInput', async () => {
    const client = await start();
    const failure = await client
      .send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordType: 'A' }))
      .catch((error) => error);
    expect(failure.name).toBe('InvalidInput');
    expect(failure.$metadata.httpStatusCode).toBe(400);
    const bad = await fetchSigned(`/2013-04-01/hostedzone/${zoneId}/rrset?maxitems=zero`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('<Code>InvalidInput</Code>');
  });
});

describe('Route 53 ChangeResourceRecordSets', () => {
  it('swaps the failover records in one batch, then the change goes PENDING → INSYNC on the clock', async () => {
    const client = await start(awsSeed(), { 'route53.change': 45_000 });
    const [records] = await listAll(client);
    const [primary, secondary] = records!.filter((record) => record.Name === 'api.ecommerce.com.');
    const swap = await client.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Comment: 'fail over to us-west-2',
          Changes: [
            upsert({ ...primary!, Failover: 'SECONDARY' }),
            upsert({ ...secondary!, Failover: 'PRIMARY' }),
          ],
        },
      }),
    );
    expect(swap.ChangeInfo).toMatchObject({ Status: 'PENDING', Comment: 'fail over to us-west-2' });
    expect(swap.ChangeInfo?.Id).toMatch(/^\/change\/C[A-Z0-9]+$/);
    expect(swap.ChangeInfo?.SubmittedAt).toBeInstanceOf(Date);

    const after = (await listAll(client))[0]!.filter((record) => record.Name === 'api.ecommerce.com.');
    expect(after.map((record) => [record.SetIdentifier, record.Failover])).toEqual([
      ['primary', 'SECONDARY'],
      ['secondary', 'PRIMARY'],
    ]);

    expect((await client.send(new GetChangeCommand({ Id: swap.ChangeInfo!.Id! }))).ChangeInfo?.Status).toBe(
      'PENDING',
    );
    await emulator.clock.sleep(44_999);
    expect((await client.send(new GetChangeCommand({ Id: swap.ChangeInfo!.Id! }))).ChangeInfo?.Status).toBe(
      'PENDING',
    );
    await emulator.clock.sleep(1);
    expect((await client.send(new GetChangeCommand({ Id: swap.ChangeInfo!.Id! }))).ChangeInfo?.Status).toBe(
      'INSYNC',
    );
    expect(emulator.requests.count({ mutating: true })).toBe(1);
  });

  it('rejects a second change to the zone while one is PENDING with PriorRequestNotComplete', async () => {
    const client = await start();
    const change = (value: string) =>
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Changes: [
            upsert({ Name: 'status.ecommerce.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: value }] }),
          ],
        },
      });
    await client.send(change('192.0.2.11'));
    const busy = await route53(emulator, { maxAttempts: 1 })
      .send(change('192.0.2.12'))
      .catch((error) => error);
    expect(busy.name).toBe('PriorRequestNotComplete');
    expect(busy.$metadata.httpStatusCode).toBe(400);
    await emulator.clock.sleep(30_000);
    expect((await client.send(change('192.0.2.12'))).ChangeInfo?.Status).toBe('PENDING');
  });

  it('lets the SDK retry PriorRequestNotComplete (it classifies it as throttling) until the prior change is in sync', async () => {
    // A real-time clock here: the prior change gets in sync while the SDK backs off. Long
    // enough (300 ms) that the second request still finds it pending on a loaded machine
    // (at 40 ms a slow second request found it in sync and was never refused).
    emulator = await startEmulator({
      timeScale: 1,
      seed: { aws: awsSeed() },
      durations: { 'route53.change': 300 },
    });
    const client = route53(emulator, { maxAttempts: 50 });
    const change = (value: string) =>
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Changes: [
            upsert({ Name: 'status.ecommerce.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: value }] }),
          ],
        },
      });
    await client.send(change('192.0.2.20'));
    const second = await client.send(change('192.0.2.21'));
    expect(second.$metadata.attempts).toBeGreaterThan(1);
    const statuses = emulator.requests
      .list({ operation: 'ChangeResourceRecordSets' })
      .map((entry) => entry.status);
    expect(statuses[0]).toBe(200);
    expect(statuses.at(-1)).toBe(200);
    expect(statuses.slice(1, -1).every((status) => status === 400)).toBe(true);
  });

  it('rejects CREATE of an existing set, a DELETE that does not match exactly, and applies nothing of a bad batch', async () => {
    const client = await start();
    const send = (changes: Change[]) =>
      client
        .send(
          new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: changes } }),
        )
        .catch((error) => error);

    const exists = await send([
      {
        Action: 'CREATE',
        ResourceRecordSet: {
          Name: 'status.ecommerce.com.',
          Type: 'A',
          TTL: 300,
          ResourceRecords: [{ Value: '192.0.2.10' }],
        },
      },
    ]);
    expect(exists.name).toBe('InvalidChangeBatch');
    expect(exists.$metadata.httpStatusCode).toBe(400);
    expect(exists.message).toBe(
      "[Tried to create resource record set [name='status.ecommerce.com.', type='A'] but it already exists]",
    );

    const mismatch = await send([
      {
        Action: 'DELETE',
        ResourceRecordSet: {
          Name: 'status.ecommerce.com',
          Type: 'A',
          TTL: 60,
          ResourceRecords: [{ Value: '192.0.2.10' }],
        },
      },
    ]);
    expect(mismatch.message).toContain('but the values provided do not match the current values');

    const missing = await send([
      {
        Action: 'DELETE',
        ResourceRecordSet: {
          Name: 'nope.ecommerce.com',
          Type: 'A',
          TTL: 60,
          ResourceRecords: [{ Value: '192.0.2.1' }],
        },
      },
    ]);
    expect(missing.message).toContain('but it was not found');

    // The first change is valid, the second is not: the batch is all or nothing.
    const partial = await send([
      {
        Action: 'CREATE',
        ResourceRecordSet: {
          Name: 'new.ecommerce.com',
          Type: 'A',
          TTL: 60,
          ResourceRecords: [{ Value: '192.0.2.30' }],
        },
      },
      {
        Action: 'CREATE',
        ResourceRecordSet: {
          Name: 'status.ecommerce.com',
          Type: 'A',
          TTL: 300,
          ResourceRecords: [{ Value: '192.0.2.10' }],
        },
      },
    ]);
    expect(partial.name).toBe('InvalidChangeBatch');
    const names = (await listAll(client))[0]!.map((record) => record.Name);
    expect(names).not.toContain('new.ecommerce.com.');

    const deleted = await send([
      {
        Action: 'DELETE',
        ResourceRecordSet: {
          Name: 'status.ecommerce.com',
          Type: 'A',
          TTL: 300,
          ResourceRecords: [{ Value: '192.0.2.10' }],
        },
      },
    ]);
    expect(deleted.ChangeInfo?.Status).toBe('PENDING');
    expect(
      emulator.requests.list({ operation: 'ChangeResourceRecordSets' }).map((entry) => entry.status),
    ).toEqual([400, 400, 400, 400, 200]);
  });

  it('validates routing like Route 53: two PRIMARY sets, mixed policies, set identifiers, alias vs TTL, zone and health check', async () => {
    const client = await start();
    const send = (record: ResourceRecordSet, action: Change['Action'] = 'UPSERT') =>
      client
        .send(
          new ChangeResourceRecordSetsCommand({
            HostedZoneId: zoneId,
            ChangeBatch: { Changes: [{ Action: action, ResourceRecordSet: record }] },
          }),
        )
        .catch((error) => error);
    const base = {
      Name: 'api.ecommerce.com',
      Type: 'A' as const,
      TTL: 60,
      ResourceRecords: [{ Value: '192.0.2.40' }],
    };

    const twoPrimaries = await send({ ...base, SetIdentifier: 'third', Failover: 'PRIMARY' });
    expect(twoPrimaries.name).toBe('InvalidChangeBatch');
    expect(twoPrimaries.message).toContain('more than one failover PRIMARY');

    const mixed = await send({ ...base, SetIdentifier: 'third', Weight: 10 });
    expect(mixed.message).toContain('different routing policy');

    const simpleBesideRouted = await send(base);
    expect(simpleBesideRouted.name).toBe('InvalidChangeBatch');

    const noIdentifier = await send({ ...base, Name: 'x.ecommerce.com', Weight: 10 });
    expect(noIdentifier.name).toBe('InvalidInput');

    const aliasAndTtl = await send({
      ...base,
      Name: 'x.ecommerce.com',
      AliasTarget: {
        HostedZoneId: 'Z35SXDOTRQ7X7K',
        DNSName: 'lb.elb.amazonaws.com',
        EvaluateTargetHealth: false,
      },
    });
    expect(aliasAndTtl.name).toBe('InvalidInput');
    expect(aliasAndTtl.message).toContain('Expected exactly one of [AliasTarget');

    const outside = await send({ ...base, Name: 'api.example.org' });
    expect(outside.message).toContain('is not permitted in zone ecommerce.com.');

    const badIp = await send({ ...base, Name: 'x.ecommerce.com', ResourceRecords: [{ Value: 'not-an-ip' }] });
    expect(badIp.message).toContain('ARRDATAIllegalIPv4Address');

    const cname = await send({
      Name: 'status.ecommerce.com',
      Type: 'CNAME',
      TTL: 60,
      ResourceRecords: [{ Value: 'x.ecommerce.com' }],
    });
    expect(cname.message).toContain('RRSet of type CNAME');

    const noCheck = await send({ ...base, Name: 'x.ecommerce.com', HealthCheckId: 'hc-nope' });
    expect(noCheck.name).toBe('NoSuchHealthCheck');

    const apex = await send(
      { Name: 'ecommerce.com', Type: 'SOA', TTL: 900, ResourceRecords: [{ Value: 'x' }] },
      'DELETE',
    );
    expect(apex.name).toBe('InvalidChangeBatch');
    expect(
      emulator.requests
        .list({ operation: 'ChangeResourceRecordSets' })
        .filter((entry) => entry.status === 200),
    ).toEqual([]);
  });

  it('accepts a weighted move, an alias into the zone, and a DELETE + CREATE replacement in one batch', async () => {
    const client = await start();
    const records = (await listAll(client))[0]!;
    const [east, west] = records.filter((record) => record.Name === 'shop.ecommerce.com.');
    const status = records.find((record) => record.Name === 'status.ecommerce.com.')!;
    const result = await client.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Changes: [
            upsert({ ...east!, Weight: 0 }),
            upsert({ ...west!, Weight: 100 }),
            { Action: 'DELETE', ResourceRecordSet: status },
            {
              Action: 'CREATE',
              ResourceRecordSet: { ...status, ResourceRecords: [{ Value: '192.0.2.99' }] },
            },
            {
              Action: 'CREATE',
              ResourceRecordSet: {
                Name: 'www.ecommerce.com',
                Type: 'A',
                AliasTarget: {
                  HostedZoneId: zoneId,
                  DNSName: 'status.ecommerce.com',
                  EvaluateTargetHealth: false,
                },
              },
            },
          ],
        },
      }),
    );
    expect(result.ChangeInfo?.Status).toBe('PENDING');
    const after = (await listAll(client))[0]!;
    expect(
      after.filter((record) => record.Name === 'shop.ecommerce.com.').map((record) => record.Weight),
    ).toEqual([0, 100]);
    expect(after.find((record) => record.Name === 'status.ecommerce.com.')?.ResourceRecords).toEqual([
      { Value: '192.0.2.99' },
    ]);
    expect(after.find((record) => record.Name === 'www.ecommerce.com.')?.AliasTarget?.DNSName).toBe(
      'status.ecommerce.com.',
    );
  });

  it('never brings a stuck change in sync, and answers an unknown change with NoSuchChange', async () => {
    const client = await start();
    emulator.faults.add({ fault: 'stuck', operation: 'ChangeResourceRecordSets', times: 1 });
    const change = await client.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Changes: [
            upsert({
              Name: 'status.ecommerce.com',
              Type: 'A',
              TTL: 60,
              ResourceRecords: [{ Value: '192.0.2.50' }],
            }),
          ],
        },
      }),
    );
    await emulator.clock.sleep(24 * 3600_000);
    expect((await client.send(new GetChangeCommand({ Id: change.ChangeInfo!.Id! }))).ChangeInfo?.Status).toBe(
      'PENDING',
    );
    const unknown = await client.send(new GetChangeCommand({ Id: 'CNOPE' })).catch((error) => error);
    expect(unknown.name).toBe('NoSuchChange');
    expect(unknown.$metadata.httpStatusCode).toBe(404);
  });

  it('answers malformed change XML with InvalidInput, never a 5xx', async () => {
    await start();
    for (const body of [
      '<ChangeResourceRecordSetsRequest>',
      '<Other/>',
      '<ChangeResourceRecordSetsRequest><ChangeBatch><Changes><Change><Action>MOVE</Action></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>',
      '<ChangeResourceRecordSetsRequest><ChangeBatch><Changes/></ChangeBatch></ChangeResourceRecordSetsRequest>',
    ]) {
      const response = await fetchSigned(`/2013-04-01/hostedzone/${zoneId}/rrset`, { method: 'POST', body });
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(text).toMatch(
        /<ErrorResponse xmlns="https:\/\/route53.amazonaws.com\/doc\/2013-04-01\/"><Error><Type>Sender<\/Type><Code>InvalidInput<\/Code>/,
      );
    }
  });
});

describe('Route 53 health checks', () => {
  it('gets, lists, updates Disabled/Inverted with version checks, and reports checker observations', async () => {
    const client = await start();
    const check = await client.send(new GetHealthCheckCommand({ HealthCheckId: 'hc-primary' }));
    expect(check.HealthCheck).toMatchObject({
      Id: 'hc-primary',
      HealthCheckVersion: 1,
      HealthCheckConfig: {
        Type: 'HTTPS',
        Port: 443,
        ResourcePath: '/health',
        Disabled: false,
        Inverted: false,
      },
    });
    expect((await client.send(new ListHealthChecksCommand({}))).HealthChecks?.map((item) => item.Id)).toEqual(
      ['hc-primary', 'hc-secondary'],
    );

    const updated = await client.send(
      new UpdateHealthCheckCommand({
        HealthCheckId: 'hc-primary',
        Disabled: true,
        Inverted: true,
        HealthCheckVersion: 1,
      }),
    );
    expect(updated.HealthCheck).toMatchObject({
      HealthCheckVersion: 2,
      HealthCheckConfig: { Disabled: true, Inverted: true },
    });

    const stale = await client
      .send(
        new UpdateHealthCheckCommand({ HealthCheckId: 'hc-primary', Disabled: false, HealthCheckVersion: 1 }),
      )
      .catch((error) => error);
    expect(stale.name).toBe('HealthCheckVersionMismatch');
    expect(stale.$metadata.httpStatusCode).toBe(409);

    const status = await client.send(new GetHealthCheckStatusCommand({ HealthCheckId: 'hc-primary' }));
    expect(status.HealthCheckObservations).toHaveLength(8);
    expect(status.HealthCheckObservations?.[0]?.StatusReport?.Status).toMatch(/^Success/);
    expect(status.HealthCheckObservations?.[0]?.StatusReport?.CheckedTime).toBeInstanceOf(Date);

    const missing = await client
      .send(new GetHealthCheckCommand({ HealthCheckId: 'hc-nope' }))
      .catch((error) => error);
    expect(missing.name).toBe('NoSuchHealthCheck');
    expect(emulator.requests.list({ operation: 'UpdateHealthCheck' }).map((entry) => entry.mutating)).toEqual(
      [true, true],
    );
  });

  it('reports failing checkers for an endpoint that is down', async () => {
    const seed = awsSeed();
    seed.route53!.healthChecks![0]!.healthy = false;
    const client = await start(seed);
    const status = await client.send(new GetHealthCheckStatusCommand({ HealthCheckId: 'hc-primary' }));
    expect(
      status.HealthCheckObservations?.every((item) => item.StatusReport?.Status?.startsWith('Failure')),
    ).toBe(true);
  });
});

describe('Route 53 throttling and authentication', () => {
  it('throttles with Throttling 400 in the XML error shape, which the SDK default retry strategy retries', async () => {
    const client = await start();
    emulator.faults.add({ fault: 'throttle', operation: 'GetHostedZone', times: 1 });
    const response = await route53(emulator, { defaultRetries: true }).send(
      new GetHostedZoneCommand({ Id: zoneId }),
    );
    expect(response.$metadata.attempts).toBe(2);
    expect(
      emulator.requests.list({ operation: 'GetHostedZone' }).map((entry) => [entry.status, entry.fault]),
    ).toEqual([
      [400, 'throttle'],
      [200, undefined],
    ]);
    emulator.faults.add({ fault: 'throttle', operation: 'GetHostedZone', times: 5 });
    const exhausted = await client.send(new GetHostedZoneCommand({ Id: zoneId })).catch((error) => error);
    expect(exhausted.name).toBe('Throttling');
    expect(exhausted.$metadata).toMatchObject({ httpStatusCode: 400, attempts: 3 });
  });

  it('rejects unsigned requests with 403 MissingAuthenticationToken and takes the region from the signature', async () => {
    const client = await start();
    const unsigned = await fetch(`${emulator.endpoint('aws.route53')}/2013-04-01/hostedzone/${zoneId}`);
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain('<Code>MissingAuthenticationToken</Code>');
    const wrongService = await fetchSigned(`/2013-04-01/hostedzone/${zoneId}`, {}, 'rds');
    expect(wrongService.status).toBe(403);
    expect(await wrongService.text()).toContain('SignatureDoesNotMatch');
    await client.send(new GetHostedZoneCommand({ Id: zoneId }));
    expect(emulator.requests.list({ operation: 'GetHostedZone' })[0]?.region).toBe('us-east-1');
  });
});

function fetchSigned(path: string, init: RequestInit = {}, service = 'route53') {
  return fetch(`${emulator.endpoint('aws.route53')}${path}`, {
    ...init,
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDEMULATOR0000/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=abc123`,
    },
  });
}
