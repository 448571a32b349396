import { AppsV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';

let emulator: Emulator;
let apps: AppsV1Api;
let custom: CustomObjectsApi;
const velero = { group: 'velero.io', version: 'v1', namespace: 'velero' };

beforeAll(async () => {
  emulator = await startEmulator({
    timeScale: 0,
    durations: { 'kubernetes.veleroPickup': 2_000, 'kubernetes.veleroRestore': 30_000 },
    seed: {
      kubernetes: {
        clusters: [
          {
            name: 'dr-west',
            workloads: [
              { kind: 'Deployment', name: 'web', namespace: 'edge', replicas: 1, labels: { tier: 'front' } },
              { kind: 'Deployment', name: 'api', namespace: 'edge', replicas: 1, labels: { tier: 'back' } },
              { kind: 'Deployment', name: 'cron', namespace: 'edge', replicas: 1, labels: { job: 'yes' } },
            ],
            velero: {
              schedules: [{ name: 'nightly', schedule: '0 3 * * *' }],
              backups: [
                { name: 'hourly-20261207010000', schedule: 'hourly', completedAgoMs: 3_600_000 },
                { name: 'hourly-20261207020000', schedule: 'hourly', completedAgoMs: 600_000 },
                { name: 'manual-1', completedAgoMs: 60_000 },
              ],
            },
          },
        ],
      },
    },
  });
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'c', server: `${emulator.endpoint('kubernetes.apps')}/dr-west`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  apps = config.makeApiClient(AppsV1Api);
  custom = config.makeApiClient(CustomObjectsApi);
});
afterAll(() => emulator.stop());

const names = async (labelSelector: string) =>
  (await apps.listNamespacedDeployment({ namespace: 'edge', labelSelector })).items
    .map((d) => d.metadata?.name)
    .sort();

describe('label selectors on LIST', () => {
  it('takes set-based requirements as the API server does', async () => {
    expect(await names('tier in (front, back)')).toEqual(['api', 'web']);
    // notin and != also match objects without the label.
    expect(await names('tier notin (front)')).toEqual(['api', 'cron']);
    expect(await names('tier!=back')).toEqual(['cron', 'web']);
    expect(await names('tier')).toEqual(['api', 'web']);
    expect(await names('!tier')).toEqual(['cron']);
    expect(await names('tier,tier notin (back)')).toEqual(['web']);
    expect(await names('tier==front')).toEqual(['web']);
  });

  it('answers 400 to a selector that does not parse', async () => {
    await expect(names('tier in (front')).rejects.toMatchObject({ code: 400 });
    await expect(names('tier=a b')).rejects.toMatchObject({ code: 400 });
  });
});

interface Schedule {
  metadata: { name: string };
  spec: { schedule: string };
  status: { phase: string; lastBackup?: string };
}

describe('velero.io/v1 Schedules', () => {
  it("reads a schedule whose lastBackup is its newest backup's creation time", async () => {
    const hourly = (await custom.getNamespacedCustomObject({
      ...velero,
      plural: 'schedules',
      name: 'hourly',
    })) as Schedule;
    expect(hourly.status.phase).toBe('Enabled');
    const backups = (await custom.listNamespacedCustomObject({
      ...velero,
      plural: 'backups',
      labelSelector: 'velero.io/schedule-name in (hourly)',
    })) as { items: Array<{ metadata: { name: string; creationTimestamp: string } }> };
    const newest = backups.items.find((b) => b.metadata.name === 'hourly-20261207020000');
    expect(backups.items).toHaveLength(2);
    expect(hourly.status.lastBackup).toBe(newest?.metadata.creationTimestamp);
  });

  it('lists seeded schedules and those the backups name; one without backups has no lastBackup', async () => {
    const list = (await custom.listNamespacedCustomObject({ ...velero, plural: 'schedules' })) as {
      kind: string;
      items: Schedule[];
    };
    expect(list.kind).toBe('ScheduleList');
    expect(list.items.map((s) => s.metadata.name).sort()).toEqual(['hourly', 'nightly']);
    const nightly = list.items.find((s) => s.metadata.name === 'nightly');
    expect(nightly?.spec.schedule).toBe('0 3 * * *');
    expect(nightly?.status).toEqual({ phase: 'Enabled' });
    await expect(
      custom.getNamespacedCustomObject({ ...velero, plural: 'schedules', name: 'weekly' }),
    ).rejects.toMatchObject({ code: 404 });
  });

  it('a backup not made by a schedule has no schedule-name label', async () => {
    const unscheduled = (await custom.listNamespacedCustomObject({
      ...velero,
      plural: 'backups',
      labelSelector: '!velero.io/schedule-name',
    })) as { items: Array<{ metadata: { name: string } }> };
    expect(unscheduled.items.map((b) => b.metadata.name)).toEqual(['manual-1']);
  });
});

describe('faults on Kubernetes routes', () => {
  const restore = (name: string) => ({
    ...velero,
    plural: 'restores',
    body: {
      apiVersion: 'velero.io/v1',
      kind: 'Restore',
      metadata: { name },
      spec: { backupName: 'manual-1' },
    },
  });
  const phase = async (name: string) =>
    (
      (await custom.getNamespacedCustomObject({ ...velero, plural: 'restores', name })) as {
        status: { phase: string };
      }
    ).status.phase;

  it('a restore created under `stuck` stays InProgress', async () => {
    emulator.faults.add({ fault: 'stuck', service: 'kubernetes.apps', operation: 'createRestore', times: 1 });
    await custom.createNamespacedCustomObject(restore('stuck-1'));
    emulator.clock.advance(3_600_000);
    expect(await phase('stuck-1')).toBe('InProgress');
  });

  it('applied-then-500 creates the restore but answers 500; a retry meets AlreadyExists', async () => {
    emulator.faults.add({
      fault: 'applied-then-500',
      service: 'kubernetes.apps',
      operation: 'createRestore',
      times: 1,
    });
    await expect(custom.createNamespacedCustomObject(restore('lost-answer'))).rejects.toMatchObject({
      code: 500,
    });
    expect(await phase('lost-answer')).toBe('New');
    await expect(custom.createNamespacedCustomObject(restore('lost-answer'))).rejects.toMatchObject({
      code: 409,
    });
  });

  it('throttle answers 429 TooManyRequests with Retry-After', async () => {
    emulator.faults.add({
      fault: 'throttle',
      service: 'kubernetes.apps',
      operation: 'listSchedules',
      times: 1,
      retryAfterSeconds: 7,
    });
    const response = await fetch(
      `${emulator.endpoint('kubernetes.apps')}/dr-west/apis/velero.io/v1/namespaces/velero/schedules`,
      { headers: { authorization: 'Bearer t' } },
    );
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toMatchObject({ kind: 'Status', reason: 'TooManyRequests', code: 429 });
  });
});
