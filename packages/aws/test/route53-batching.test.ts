import { ChangeResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import type { DnsChange, DnsRecordSet } from '@failover/core';
import type { Emulator, RecordSetSeed } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { awsOn, awsWorld, credentials, mutations, startAwsEmulator, zoneId } from './aws-emulator.js';
import { awsThrough, startLostAnswerProxy } from './lost-answer-proxy.js';

let emulator: Emulator;
afterEach(async () => {
  expect(emulator.requests.list().filter((entry) => entry.internalError)).toEqual([]);
  await emulator.stop();
});

const wait = { timeoutMs: 30 * 60_000 };
const nameOf = (index: number) => `app-${index}.ecommerce.com`;

/** The seed world plus `count` simple A records app-N.ecommerce.com -> 192.0.2.1. */
function worldWithNames(count: number) {
  const world = awsWorld();
  const zone = world.route53!.hostedZones![0]!;
  const extra: RecordSetSeed[] = Array.from({ length: count }, (_, index) => ({
    name: nameOf(index),
    type: 'A',
    ttl: 60,
    values: ['192.0.2.1'],
  }));
  return {
    ...world,
    route53: { ...world.route53, hostedZones: [{ ...zone, recordSets: [...zone.recordSets!, ...extra] }] },
  };
}

const simple = (name: string, values: string[]): DnsRecordSet => ({
  name: `${name}.`,
  type: 'A',
  ttl: 60,
  routing: 'simple',
  targets: [{ id: 'default', values, enabled: true }],
});

const change = (index: number, values = ['198.51.100.1']): DnsChange => ({
  ref: { zone: zoneId, name: nameOf(index), type: 'A' },
  desired: simple(nameOf(index), values),
});

const calls = (operation: string) => emulator.requests.count({ service: 'aws.route53', operation });

describe('Route 53 batching', () => {
  it('50 names in one zone: 1 ChangeResourceRecordSets, one GetChange wait shared by the 50 steps', async () => {
    emulator = await startAwsEmulator(worldWithNames(50));
    const dns = awsOn(emulator).dnsProvider();
    const changes = Array.from({ length: 50 }, (_, index) => change(index));
    expect(new Set(changes.map((item) => dns.batching!.batchKey(item.ref))).size).toBe(1);
    const outcomes = (await dns.batching!.ensureRecordSets(changes))._unsafeUnwrap();
    expect(calls('ChangeResourceRecordSets')).toBe(1);
    expect(outcomes.every((outcome) => outcome.ok && outcome.result.changed)).toBe(true);
    const handles = outcomes.map((outcome) => (outcome.ok ? outcome.result.handle! : undefined));
    expect(new Set(handles.map((handle) => handle?.id)).size).toBe(1);
    expect(handles[7]).toMatchObject({ detail: { name: `${nameOf(7)}.`, changes: 1 } });

    const results = await Promise.all(handles.map((handle) => dns.waitForChange(handle!, wait)));
    expect(results.every((result) => result.isOk())).toBe(true);
    const polls = calls('GetChange');
    expect(polls).toBeGreaterThan(0);
    expect(polls).toBeLessThanOrEqual(6);
    // Already seen INSYNC: a later wait on the batch costs nothing.
    expect((await dns.waitForChange(handles[0]!, wait)).isOk()).toBe(true);
    expect(calls('GetChange')).toBe(polls);

    const again = (await dns.batching!.ensureRecordSets(changes))._unsafeUnwrap();
    expect(again.every((outcome) => outcome.ok && !outcome.result.changed)).toBe(true);
    expect(mutations(emulator)).toBe(1);
  });

  it('splits at the 1,000-record limit of one batch, never inside one record set, and sends the zone’s batches one after another', async () => {
    emulator = await startAwsEmulator(worldWithNames(40));
    const dns = awsOn(emulator).dnsProvider();
    // 40 UPSERTs of 15 values: 40 x 15 x 2 = 1,200 records, more than one batch takes.
    const values = Array.from({ length: 15 }, (_, index) => `198.51.100.${index + 1}`);
    const changes = Array.from({ length: 40 }, (_, index) => change(index, values));
    const outcomes = (await dns.batching!.ensureRecordSets(changes))._unsafeUnwrap();
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    const sent = emulator.requests.list({ operation: 'ChangeResourceRecordSets' });
    // The second batch waits out the first one's PENDING (PriorRequestNotComplete), never failing a step.
    expect(sent.filter((entry) => entry.status === 200)).toHaveLength(2);
    expect(sent.filter((entry) => entry.status !== 200 && entry.status !== 400)).toEqual([]);
    const ids = new Set(outcomes.map((outcome) => (outcome.ok ? outcome.result.handle?.id : undefined)));
    expect(ids.size).toBe(2);
  });

  it('a zone still processing a change: PriorRequestNotComplete is waited out, not a failed step', async () => {
    emulator = await startAwsEmulator(worldWithNames(3));
    const raw = new Route53Client({
      region: 'us-east-1',
      endpoint: emulator.endpoint('aws.route53'),
      credentials,
      maxAttempts: 1,
    });
    await raw.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Changes: [
            {
              Action: 'UPSERT',
              ResourceRecordSet: {
                Name: 'other.ecommerce.com',
                Type: 'A',
                TTL: 60,
                ResourceRecords: [{ Value: '192.0.2.99' }],
              },
            },
          ],
        },
      }),
    );
    // As Route 53 answers while a change to the zone is PENDING: HTTP 400, PriorRequestNotComplete.
    const refused = await raw
      .send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: zoneId,
          ChangeBatch: {
            Changes: [
              {
                Action: 'DELETE',
                ResourceRecordSet: {
                  Name: 'status.ecommerce.com',
                  Type: 'A',
                  TTL: 300,
                  ResourceRecords: [{ Value: '192.0.2.30' }],
                },
              },
            ],
          },
        }),
      )
      .catch((thrown: { name: string; $metadata: { httpStatusCode: number } }) => thrown);
    expect(refused).toMatchObject({ name: 'PriorRequestNotComplete', $metadata: { httpStatusCode: 400 } });
    const dns = awsOn(emulator).dnsProvider();
    const outcomes = (
      await dns.batching!.ensureRecordSets([0, 1, 2].map((index) => change(index)))
    )._unsafeUnwrap();
    expect(outcomes.every((outcome) => outcome.ok && outcome.result.changed)).toBe(true);
    const statuses = emulator.requests
      .list({ operation: 'ChangeResourceRecordSets' })
      .map((entry) => entry.status);
    expect(statuses.slice(0, 2)).toEqual([200, 400]); // the raw client's
    expect(statuses.at(-1)).toBe(200);
    expect(statuses.slice(2, -1).length).toBeGreaterThan(0);
    expect(statuses.slice(2, -1).every((status) => status === 400)).toBe(true);
  });

  it('a batch Route 53 refuses is sent again one record set at a time: the bad change fails alone', async () => {
    emulator = await startAwsEmulator(worldWithNames(3));
    const dns = awsOn(emulator).dnsProvider();
    const outcomes = (
      await dns.batching!.ensureRecordSets([change(0), change(1, ['not-an-ip']), change(2)])
    )._unsafeUnwrap();
    expect(outcomes.map((outcome) => (outcome.ok ? 'ok' : outcome.error.kind))).toEqual([
      'ok',
      'invalid-input',
      'ok',
    ]);
    const sent = emulator.requests.list({ operation: 'ChangeResourceRecordSets' });
    // The batch of three refused, then each alone: two applied, the bad one refused again.
    expect(sent[0]!.status).toBe(400);
    expect(sent.filter((entry) => entry.status === 200)).toHaveLength(2);
  });

  it('a change batch whose answer was lost is not sent again: the records read as desired', async () => {
    emulator = await startAwsEmulator(worldWithNames(5));
    const proxy = await startLostAnswerProxy(emulator);
    try {
      const dns = awsThrough(proxy, emulator).dnsProvider();
      proxy.lose(({ method, path }) => method === 'POST' && path.endsWith('/rrset'));
      const outcomes = (
        await dns.batching!.ensureRecordSets([0, 1, 2, 3, 4].map((index) => change(index)))
      )._unsafeUnwrap();
      expect(proxy.lost).toBe(1);
      expect(outcomes.every((outcome) => outcome.ok && outcome.result.changed)).toBe(true);
      const handle = outcomes[0]!.ok ? outcomes[0]!.result.handle! : undefined;
      expect(handle).toMatchObject({ operation: 'ChangeResourceRecordSets', detail: { changeIdLost: true } });
      expect((await dns.waitForChange(handle!, wait)).isOk()).toBe(true);
      expect(mutations(emulator)).toBe(1);
    } finally {
      await proxy.stop();
    }
  });

  it('reads of one zone that arrive together are answered by one scan of the zone', async () => {
    emulator = await startAwsEmulator(worldWithNames(40));
    const dns = awsOn(emulator).dnsProvider({ observeHealth: false });
    const sets = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        dns.getRecordSet({ zone: zoneId, name: nameOf(index), type: 'A' }),
      ),
    );
    expect(sets.every((set) => set.isOk() && set.value.targets[0]!.values[0] === '192.0.2.1')).toBe(true);
    // 47 records fit one page: one GetHostedZone to size the zone, one ListResourceRecordSets.
    expect(calls('GetHostedZone')).toBe(1);
    expect(calls('ListResourceRecordSets')).toBe(1);
    // A lone read still reads its own name.
    expect((await dns.getRecordSet({ zone: zoneId, name: nameOf(3), type: 'A' })).isOk()).toBe(true);
    expect(calls('ListResourceRecordSets')).toBe(2);
  });

  it('observeRecordSets reads 600 names of one zone in one paginated scan, each as getRecordSet would', async () => {
    emulator = await startAwsEmulator(worldWithNames(600));
    const dns = awsOn(emulator).dnsProvider();
    const refs = [
      ...Array.from({ length: 600 }, (_, index) => ({ zone: zoneId, name: nameOf(index), type: 'A' })),
      { zone: zoneId, name: 'missing.ecommerce.com', type: 'A' },
    ];
    const observed = (await dns.batching!.observeRecordSets!(refs))._unsafeUnwrap();
    expect(observed).toHaveLength(601);
    // 607 records at 300 a page: 3 pages, plus one GetHostedZone to size the zone.
    expect(calls('ListResourceRecordSets')).toBe(3);
    expect(calls('GetHostedZone')).toBe(1);
    const alone = (await dns.getRecordSet(refs[123]!))._unsafeUnwrap();
    expect(observed[123]).toEqual({ ok: true, recordSet: alone });
    const missing = observed[600]!;
    expect(missing.ok ? undefined : missing.error.kind).toBe('not-found');
  });
});
