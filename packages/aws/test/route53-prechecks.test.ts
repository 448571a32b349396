import type { DnsRecordSet } from '@failover/core';
import { resolveDnsDesiredState } from '@failover/core';
import type { Emulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { awsOn, mutations, startAwsEmulator, zoneId } from './aws-emulator.js';
import { awsThrough, startLostAnswerProxy } from './lost-answer-proxy.js';

let emulator: Emulator;
afterEach(async () => {
  expect(emulator.requests.list().filter((entry) => entry.internalError)).toEqual([]);
  await emulator.stop();
});

const api = { zone: zoneId, name: 'api.ecommerce.com', type: 'A' };
const www = { zone: zoneId, name: 'www.ecommerce.com', type: 'A' };
const shop = { zone: zoneId, name: 'shop.ecommerce.com', type: 'A' };

describe('Route 53 pre-checks', () => {
  it('refuses what ensureRecordSet would, with the same kind, before any mutating call', async () => {
    emulator = await startAwsEmulator();
    const dns = awsOn(emulator).dnsProvider();
    const wwwSet = (await dns.getRecordSet(www))._unsafeUnwrap();
    const apiSet = (await dns.getRecordSet(api))._unsafeUnwrap();
    const shopSet = (await dns.getRecordSet(shop))._unsafeUnwrap();
    const fenceWithoutCheck = resolveDnsDesiredState(wwwSet, {
      targets: { west: { enabled: false } },
    })._unsafeUnwrap();
    const cases: Array<[typeof api, DnsRecordSet, DnsRecordSet, string]> = [
      [www, wwwSet, fenceWithoutCheck, 'invalid-input'],
      [
        www,
        wwwSet,
        { ...wwwSet, targets: wwwSet.targets.map((target) => ({ ...target, weight: 256 })) },
        'invalid-input',
      ],
      [api, apiSet, { ...apiSet, routing: 'geo' }, 'invalid-input'],
      [shop, shopSet, { ...shopSet, ttl: 60 }, 'invalid-input'],
      [
        api,
        apiSet,
        { ...apiSet, targets: [{ ...apiSet.targets[0]!, healthCheckId: 'hc-nope' }, apiSet.targets[1]!] },
        'not-found',
      ],
      [{ ...api, zone: 'no-such-zone.example' }, apiSet, apiSet, 'not-found'],
    ];
    for (const [ref, observed, desired, kind] of cases) {
      const precheck = (await dns.precheckRecordSet!(ref, desired, observed))._unsafeUnwrapErr();
      const ensure = (await dns.ensureRecordSet(ref, desired))._unsafeUnwrapErr();
      expect([desired, precheck.kind]).toEqual([desired, kind]);
      expect(ensure.kind).toBe(kind);
    }
    const fence = resolveDnsDesiredState(apiSet, {
      targets: { primary: { enabled: false } },
    })._unsafeUnwrap();
    expect((await dns.precheckRecordSet!(api, fence, apiSet)).isOk()).toBe(true);
    expect(mutations(emulator)).toBe(0);
  });
});

describe('Route 53 hardening', () => {
  it('record-set paging stops with an error when a page repeats, instead of looping', async () => {
    emulator = await startAwsEmulator();
    const proxy = await startLostAnswerProxy(emulator);
    try {
      const dns = awsThrough(proxy, emulator).dnsProvider({ pageSize: 1 });
      // Every page claims more follows, starting again at the same record.
      proxy.rewrite(
        ({ method, path }) => method === 'GET' && path.endsWith('/rrset'),
        (body) =>
          body
            .replace(/<NextRecord\w+>[^<]*<\/NextRecord\w+>/g, '')
            .replace(
              /<IsTruncated>\w+<\/IsTruncated>/,
              '<IsTruncated>true</IsTruncated><NextRecordName>api.ecommerce.com.</NextRecordName><NextRecordType>A</NextRecordType><NextRecordIdentifier>secondary</NextRecordIdentifier>',
            ),
        1_000,
      );
      const error = (await dns.getRecordSet(api))._unsafeUnwrapErr();
      expect(error).toMatchObject({ kind: 'unexpected', operation: 'ListResourceRecordSets' });
      expect(error.message).toContain('same page');
      expect(emulator.requests.count({ operation: 'ListResourceRecordSets' })).toBe(2);
    } finally {
      await proxy.stop();
    }
  });

  it('concurrent first calls that find a hosted zone by name share one lookup', async () => {
    emulator = await startAwsEmulator();
    const dns = awsOn(emulator).dnsProvider({ observeHealth: false });
    const byName = (name: string) => ({ zone: 'ecommerce.com', name, type: 'A' });
    const sets = await Promise.all(
      ['api.ecommerce.com', 'www.ecommerce.com', 'shop.ecommerce.com', 'status.ecommerce.com'].map((name) =>
        dns.getRecordSet(byName(name)),
      ),
    );
    expect(sets.every((set) => set.isOk())).toBe(true);
    expect(emulator.requests.count({ operation: 'ListHostedZonesByName' })).toBe(1);
  });
});
