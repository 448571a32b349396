import type { DnsRecordSet } from '@failover/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type ReplayServer, startReplayServer } from './gcp-replay-server.js';
import { replayGcp } from './replay-gcp.js';

// gcp.dns against recorded answers in the shapes of the Cloud DNS v1 reference
// (resourceRecordSets.get, changes.create, changes.get): two names of one managed
// zone switched in one change, whose deletions are the live sets exactly as read.

const project = 'aegis-prod';
const zonePath = `/dns/v1/projects/${project}/managedZones/aegis-zone`;
const live = (name: string, rrdata: string) => ({
  kind: 'dns#resourceRecordSet',
  name,
  type: 'A',
  ttl: 300,
  rrdatas: [rrdata],
});
const desired = (name: string, value: string): DnsRecordSet => ({
  name,
  type: 'A',
  ttl: 60,
  routing: 'simple',
  targets: [{ id: 'default', values: [value], enabled: true, health: 'unknown' }],
});

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('gcp.dns replayed', () => {
  it('a batch of two names is one changes.create, then changes.get until done', async () => {
    const additions = [
      { kind: 'dns#resourceRecordSet', name: 'api.aegis.io.', type: 'A', ttl: 60, rrdatas: ['198.51.100.7'] },
      { kind: 'dns#resourceRecordSet', name: 'www.aegis.io.', type: 'A', ttl: 60, rrdatas: ['198.51.100.8'] },
    ];
    const deletions = [live('api.aegis.io.', '192.0.2.1'), live('www.aegis.io.', '192.0.2.2')];
    server = await startReplayServer('/dns-replay', [
      { method: 'GET', path: `${zonePath}/rrsets/api.aegis.io./A`, response: deletions[0] },
      { method: 'GET', path: `${zonePath}/rrsets/www.aegis.io./A`, response: deletions[1] },
      {
        method: 'POST',
        path: `${zonePath}/changes`,
        body: { kind: 'dns#change', deletions, additions },
        response: {
          kind: 'dns#change',
          id: '17',
          status: 'pending',
          startTime: '2026-12-06T10:00:00.000Z',
          additions,
          deletions,
        },
      },
      {
        method: 'GET',
        path: `${zonePath}/changes/17`,
        response: {
          kind: 'dns#change',
          id: '17',
          status: 'done',
          isServing: true,
          startTime: '2026-12-06T10:00:00.000Z',
          additions,
          deletions,
        },
      },
    ]);
    const dns = replayGcp(project, { dns: `${server.url}/` }).dnsProvider({ zone: 'aegis-zone' });
    const outcomes = (
      await dns.batching!.ensureRecordSets([
        { ref: { name: 'api.aegis.io', type: 'A' }, desired: desired('api.aegis.io.', '198.51.100.7') },
        { ref: { name: 'www.aegis.io', type: 'A' }, desired: desired('www.aegis.io.', '198.51.100.8') },
      ])
    )._unsafeUnwrap();
    expect(outcomes.map((o) => o.ok && o.result.before?.targets[0]?.values)).toEqual([
      ['192.0.2.1'],
      ['192.0.2.2'],
    ]);
    const handle = outcomes[0]!.ok ? outcomes[0]!.result.handle! : undefined;
    expect(handle).toMatchObject({ operation: 'changes.create', id: '17', detail: { done: false } });
    (await dns.waitForChange(handle!, { timeoutMs: 600_000 }))._unsafeUnwrap();

    expect(server.unmatched).toEqual([]);
    expect(server.unused()).toEqual([]);
    const order = server.requests.map((r) => `${r.method} ${r.path}`);
    expect(order.slice(2)).toEqual([`POST ${zonePath}/changes`, `GET ${zonePath}/changes/17`]);
    expect(order.slice(0, 2).sort()).toEqual([
      `GET ${zonePath}/rrsets/api.aegis.io./A`,
      `GET ${zonePath}/rrsets/www.aegis.io./A`,
    ]);
  });

  it('a change answered done needs no changes.get', async () => {
    const before = live('api.aegis.io.', '192.0.2.1');
    const addition = {
      kind: 'dns#resourceRecordSet',
      name: 'api.aegis.io.',
      type: 'A',
      ttl: 60,
      rrdatas: ['198.51.100.7'],
    };
    server = await startReplayServer('', [
      { method: 'GET', path: `${zonePath}/rrsets/api.aegis.io./A`, response: before },
      {
        method: 'POST',
        path: `${zonePath}/changes`,
        body: { kind: 'dns#change', deletions: [before], additions: [addition] },
        response: {
          kind: 'dns#change',
          id: '18',
          status: 'done',
          isServing: true,
          additions: [addition],
          deletions: [before],
        },
      },
    ]);
    const dns = replayGcp(project, { dns: `${server.url}/` }).dnsProvider({ zone: 'aegis-zone' });
    const ensured = (
      await dns.ensureRecordSet(
        { name: 'api.aegis.io.', type: 'A' },
        desired('api.aegis.io.', '198.51.100.7'),
      )
    )._unsafeUnwrap();
    (await dns.waitForChange(ensured.handle!, { timeoutMs: 600_000 }))._unsafeUnwrap();
    expect(server.unused()).toEqual([]);
    expect(server.requests).toHaveLength(2);
  });
});
