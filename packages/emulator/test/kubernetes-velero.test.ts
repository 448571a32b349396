import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';

let emulator: Emulator;
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
            velero: {
              backups: [
                { name: 'hourly-1', schedule: 'hourly', completedAgoMs: 600_000 },
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
  custom = config.makeApiClient(CustomObjectsApi);
});
afterAll(() => emulator.stop());

describe('velero.io/v1 Backups and Restores', () => {
  it("lists a schedule's backups by the velero.io/schedule-name label", async () => {
    const list = (await custom.listNamespacedCustomObject({
      ...velero,
      plural: 'backups',
      labelSelector: 'velero.io/schedule-name=hourly',
    })) as {
      items: Array<{ metadata: { name: string }; status: { phase: string; completionTimestamp: string } }>;
    };
    expect(list.items.map((b) => [b.metadata.name, b.status.phase])).toEqual([['hourly-1', 'Completed']]);
    expect(Date.parse(list.items[0]?.status.completionTimestamp ?? '')).toBe(emulator.clock.now() - 600_000);
  });

  it('moves a restore New -> InProgress -> Completed, and refuses a second one of the same name', async () => {
    const body = {
      apiVersion: 'velero.io/v1',
      kind: 'Restore',
      metadata: { name: 'r1' },
      spec: { backupName: 'hourly-1' },
    };
    await custom.createNamespacedCustomObject({ ...velero, plural: 'restores', body });
    const phase = async () =>
      (
        (await custom.getNamespacedCustomObject({ ...velero, plural: 'restores', name: 'r1' })) as {
          status: { phase: string };
        }
      ).status.phase;
    expect(await phase()).toBe('New');
    emulator.clock.advance(2_000);
    expect(await phase()).toBe('InProgress');
    emulator.clock.advance(30_000);
    expect(await phase()).toBe('Completed');
    await expect(
      custom.createNamespacedCustomObject({ ...velero, plural: 'restores', body }),
    ).rejects.toMatchObject({
      code: 409,
    });
  });
});
