import { OAuth2Client } from 'google-auth-library';

type GaxiosOptions = Parameters<OAuth2Client['request']>[0];

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';

// Cloud DNS v1 has no per-API Node package; @failover/gcp calls its REST API
// through google-auth-library's authorised client, and so does this test.

const project = 'aegis-prod';
let emulator: Emulator;
let auth: OAuth2Client;
let base: string;

beforeEach(async () => {
  emulator = await startEmulator({
    timeScale: 0,
    seed: {
      gcp: {
        projects: [
          {
            id: project,
            managedZones: [
              {
                name: 'aegis-zone',
                dnsName: 'aegis.io.',
                recordSets: [
                  { name: 'api.aegis.io.', type: 'CNAME', ttl: 300, rrdatas: ['primary-lb.aegis.io.'] },
                  {
                    name: 'www.aegis.io.',
                    type: 'A',
                    ttl: 60,
                    routingPolicy: {
                      wrr: {
                        items: [
                          { weight: 0.8, rrdatas: ['10.0.0.1'] },
                          { weight: 0.2, rrdatas: ['10.0.0.2'] },
                        ],
                      },
                    },
                  },
                  {
                    name: 'geo.aegis.io.',
                    type: 'A',
                    ttl: 60,
                    routingPolicy: {
                      geo: {
                        items: [
                          { location: 'us-east1', rrdatas: ['10.1.0.1'] },
                          { location: 'europe-west1', rrdatas: ['10.2.0.1'] },
                        ],
                      },
                    },
                  },
                  {
                    name: 'pb.aegis.io.',
                    type: 'A',
                    ttl: 30,
                    routingPolicy: {
                      healthCheck: `projects/${project}/global/healthChecks/hc1`,
                      primaryBackup: {
                        primaryTargets: { externalEndpoints: ['203.0.113.5'] },
                        backupGeoTargets: {
                          items: [
                            {
                              location: 'us-east1',
                              healthCheckedTargets: { externalEndpoints: ['203.0.113.9'] },
                            },
                          ],
                        },
                        trickleTraffic: 0.1,
                      },
                    },
                  },
                  ...Array.from({ length: 7 }, (_, i) => ({
                    name: `host${i}.aegis.io.`,
                    type: 'A',
                    ttl: 300,
                    rrdatas: [`192.0.2.${i + 1}`],
                  })),
                ],
              },
            ],
          },
        ],
      },
    },
  });
  auth = new OAuth2Client();
  auth.setCredentials({ access_token: 'test-token', expiry_date: Date.now() + 3_600_000 });
  base = `${emulator.endpoint('gcp.dns')}/dns/v1/projects/${project}/managedZones`;
});
afterEach(() => emulator.stop());

async function call<T = Record<string, unknown>>(options: GaxiosOptions): Promise<T> {
  const response = await auth.request<T>({ retry: false, ...options });
  return response.data;
}

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('Cloud DNS v1 emulator', () => {
  it('gets a managed zone by name or id, with its NS and SOA sets', async () => {
    const zone = await call<{ id: string; nameServers: string[] }>({ url: `${base}/aegis-zone` });
    expect(zone).toMatchObject({ kind: 'dns#managedZone', name: 'aegis-zone', dnsName: 'aegis.io.' });
    expect(await call({ url: `${base}/${zone.id}` })).toMatchObject({ name: 'aegis-zone' });
    const ns = await call<{ rrdatas: string[] }>({ url: `${base}/aegis-zone/rrsets/aegis.io./NS` });
    expect(ns.rrdatas).toEqual(zone.nameServers);
    const missing = await caught(call({ url: `${base}/nope` }));
    expect(missing).toMatchObject({ status: 404, response: { data: { error: { status: 'NOT_FOUND' } } } });
  });

  it('lists record sets page by page, filters by name and type, and omits rrsets when nothing matches', async () => {
    const names: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const page = await call<{ rrsets: Array<{ name: string }>; nextPageToken?: string }>({
        url: `${base}/aegis-zone/rrsets`,
        params: { maxResults: 4, ...(pageToken && { pageToken }) },
      });
      names.push(...page.rrsets.map((r) => r.name));
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken);
    expect(pages).toBe(4);
    expect(names).toHaveLength(13);
    const one = await call({
      url: `${base}/aegis-zone/rrsets`,
      params: { name: 'www.aegis.io.', type: 'A' },
    });
    expect(one).toMatchObject({
      rrsets: [{ name: 'www.aegis.io.', routingPolicy: { wrr: { items: [{}, {}] } } }],
    });
    const none = await call({ url: `${base}/aegis-zone/rrsets`, params: { name: 'nothing.aegis.io.' } });
    expect(none).toEqual({ kind: 'dns#resourceRecordSetsListResponse' });
    const typeOnly = await caught(call({ url: `${base}/aegis-zone/rrsets`, params: { type: 'A' } }));
    expect(typeOnly).toMatchObject({ status: 400 });
  });

  it('applies a change whose deletions match the live set; pending until the modelled time, then done', async () => {
    const live = await call({ url: `${base}/aegis-zone/rrsets/api.aegis.io./CNAME` });
    const change = await call<{ id: string; status: string }>({
      url: `${base}/aegis-zone/changes`,
      method: 'POST',
      data: {
        deletions: [live],
        additions: [{ name: 'api.aegis.io.', type: 'CNAME', ttl: 60, rrdatas: ['dr-lb.aegis.io.'] }],
      },
    });
    expect(change).toMatchObject({ kind: 'dns#change', id: '1', status: 'pending' });
    // The record sets show the change at once; the change reports propagation.
    expect(await call({ url: `${base}/aegis-zone/rrsets/api.aegis.io./CNAME` })).toMatchObject({
      ttl: 60,
      rrdatas: ['dr-lb.aegis.io.'],
    });
    await emulator.clock.sleep(29_000);
    expect(await call({ url: `${base}/aegis-zone/changes/1` })).toMatchObject({ status: 'pending' });
    await emulator.clock.sleep(1_000);
    expect(await call({ url: `${base}/aegis-zone/changes/1` })).toMatchObject({
      status: 'done',
      isServing: true,
    });
    const list = await call<{ changes: Array<{ id: string }> }>({ url: `${base}/aegis-zone/changes` });
    expect(list.changes.map((c) => c.id)).toEqual(['0', '1']);
  });

  it('rejects a stale deletion with 412, a missing one with 404 and a duplicate addition with 409, atomically', async () => {
    const stale = await caught(
      call({
        url: `${base}/aegis-zone/changes`,
        method: 'POST',
        data: {
          deletions: [{ name: 'api.aegis.io.', type: 'CNAME', ttl: 60, rrdatas: ['primary-lb.aegis.io.'] }],
          additions: [{ name: 'api.aegis.io.', type: 'CNAME', ttl: 60, rrdatas: ['dr-lb.aegis.io.'] }],
        },
      }),
    );
    expect(stale).toMatchObject({
      status: 412,
      response: { data: { error: { code: 412, errors: [{ reason: 'conditionNotMet' }] } } },
    });
    const missing = await caught(
      call({
        url: `${base}/aegis-zone/changes`,
        method: 'POST',
        data: { deletions: [{ name: 'gone.aegis.io.', type: 'A', ttl: 60, rrdatas: ['10.0.0.1'] }] },
      }),
    );
    expect(missing).toMatchObject({ status: 404 });
    const duplicate = await caught(
      call({
        url: `${base}/aegis-zone/changes`,
        method: 'POST',
        data: {
          additions: [
            { name: 'new.aegis.io.', type: 'A', ttl: 60, rrdatas: ['10.9.9.9'] },
            { name: 'host0.aegis.io.', type: 'A', ttl: 60, rrdatas: ['10.9.9.9'] },
          ],
        },
      }),
    );
    expect(duplicate).toMatchObject({
      status: 409,
      response: { data: { error: { status: 'ALREADY_EXISTS', errors: [{ reason: 'alreadyExists' }] } } },
    });
    // Nothing of the rejected changes landed.
    expect(await caught(call({ url: `${base}/aegis-zone/rrsets/new.aegis.io./A` }))).toMatchObject({
      status: 404,
    });
    expect(await call({ url: `${base}/aegis-zone/rrsets/api.aegis.io./CNAME` })).toMatchObject({ ttl: 300 });
  });

  it('matches routing-policy deletions exactly and moves wrr weights, geo items and primary/backup trickle', async () => {
    const www = await call<Record<string, unknown>>({ url: `${base}/aegis-zone/rrsets/www.aegis.io./A` });
    const pb = await call<Record<string, unknown>>({ url: `${base}/aegis-zone/rrsets/pb.aegis.io./A` });
    const shifted = {
      ...www,
      routingPolicy: {
        wrr: {
          items: [
            { weight: 0, rrdatas: ['10.0.0.1'] },
            { weight: 1, rrdatas: ['10.0.0.2'] },
          ],
        },
      },
    };
    const pbPolicy = pb.routingPolicy as { primaryBackup: Record<string, unknown> };
    const failedOver = {
      ...pb,
      routingPolicy: { ...pbPolicy, primaryBackup: { ...pbPolicy.primaryBackup, trickleTraffic: 1 } },
    };
    await call({
      url: `${base}/aegis-zone/changes`,
      method: 'POST',
      data: { deletions: [www, pb], additions: [shifted, failedOver] },
    });
    expect(await call({ url: `${base}/aegis-zone/rrsets/www.aegis.io./A` })).toMatchObject({
      routingPolicy: { wrr: { items: [{ weight: 0 }, { weight: 1 }] } },
    });
    expect(await call({ url: `${base}/aegis-zone/rrsets/pb.aegis.io./A` })).toMatchObject({
      routingPolicy: { primaryBackup: { trickleTraffic: 1 } },
    });
    // The old wrr weights are no longer the live set.
    const stale = await caught(
      call({ url: `${base}/aegis-zone/changes`, method: 'POST', data: { deletions: [www] } }),
    );
    expect(stale).toMatchObject({ status: 412 });
  });

  it('validates additions the way Cloud DNS does', async () => {
    const bad = [
      { name: 'x.other.com.', type: 'A', ttl: 60, rrdatas: ['10.0.0.1'] },
      { name: 'x.aegis.io', type: 'A', ttl: 60, rrdatas: ['10.0.0.1'] },
      { name: 'x.aegis.io.', type: 'A', ttl: -1, rrdatas: ['10.0.0.1'] },
      { name: 'x.aegis.io.', type: 'A', ttl: 60, rrdatas: ['not-an-ip'] },
      { name: 'x.aegis.io.', type: 'BOGUS', ttl: 60, rrdatas: ['x'] },
      { name: 'x.aegis.io.', type: 'A', ttl: 60 },
      {
        name: 'x.aegis.io.',
        type: 'A',
        ttl: 60,
        routingPolicy: { wrr: { items: [{ weight: -1, rrdatas: ['10.0.0.1'] }] } },
      },
      {
        name: 'x.aegis.io.',
        type: 'A',
        ttl: 60,
        routingPolicy: {
          geo: {
            items: [{ location: 'us-east1', healthCheckedTargets: { externalEndpoints: ['1.1.1.1'] } }],
          },
        },
      },
      { name: 'api.aegis.io.', type: 'A', ttl: 60, rrdatas: ['10.0.0.1'] },
    ];
    for (const addition of bad) {
      const error = await caught(
        call({ url: `${base}/aegis-zone/changes`, method: 'POST', data: { additions: [addition] } }),
      );
      expect(error, JSON.stringify(addition)).toMatchObject({ status: 400 });
    }
    const empty = await caught(call({ url: `${base}/aegis-zone/changes`, method: 'POST', data: {} }));
    expect(empty).toMatchObject({ status: 400 });
  });

  it('creates, patches and deletes a record set directly', async () => {
    await call({
      url: `${base}/aegis-zone/rrsets`,
      method: 'POST',
      data: { name: 'tmp.aegis.io.', type: 'TXT', ttl: 60, rrdatas: ['"hello"'] },
    });
    const patched = await call({
      url: `${base}/aegis-zone/rrsets/tmp.aegis.io./TXT`,
      method: 'PATCH',
      data: { ttl: 120, rrdatas: ['"bye"'] },
    });
    expect(patched).toMatchObject({ ttl: 120, rrdatas: ['"bye"'] });
    await call({ url: `${base}/aegis-zone/rrsets/tmp.aegis.io./TXT`, method: 'DELETE' });
    expect(await caught(call({ url: `${base}/aegis-zone/rrsets/tmp.aegis.io./TXT` }))).toMatchObject({
      status: 404,
    });
    expect(
      await caught(
        call({ url: `${base}/aegis-zone/rrsets/gone.aegis.io./A`, method: 'PATCH', data: { ttl: 5 } }),
      ),
    ).toMatchObject({ status: 404 });
  });

  it('a stuck change stays pending', async () => {
    emulator.faults.add({ fault: 'stuck', operation: 'changes.create', times: 1 });
    const change = await call<{ id: string }>({
      url: `${base}/aegis-zone/changes`,
      method: 'POST',
      data: { additions: [{ name: 'new.aegis.io.', type: 'A', ttl: 60, rrdatas: ['10.9.9.9'] }] },
    });
    await emulator.clock.sleep(3_600_000);
    expect(await call({ url: `${base}/aegis-zone/changes/${change.id}` })).toMatchObject({
      status: 'pending',
    });
  });
});
