import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';

let emulator: Emulator;
let core: CoreV1Api;
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

beforeAll(async () => {
  emulator = await startEmulator({
    timeScale: 0,
    seed: {
      kubernetes: {
        clusters: [
          { name: 'dr-west', configMaps: [{ namespace: 'shop', name: 'settings', data: { A: '1' } }] },
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
  core = config.makeApiClient(CoreV1Api);
});
afterAll(() => emulator.stop());

describe('core/v1 ConfigMaps', () => {
  it('merge-patches data: null removes a key, and an empty ConfigMap has no data field', async () => {
    const read = () => core.readNamespacedConfigMap({ name: 'settings', namespace: 'shop' });
    const first = await read();
    await core.patchNamespacedConfigMap(
      { name: 'settings', namespace: 'shop', body: { data: { A: null } } },
      mergePatch,
    );
    const emptied = await read();
    expect(emptied.data).toBeUndefined();
    expect(Number(emptied.metadata?.resourceVersion)).toBeGreaterThan(
      Number(first.metadata?.resourceVersion),
    );
  });

  it('refuses a patch with a stale resourceVersion (409) and a non-string value (422)', async () => {
    await expect(
      core.patchNamespacedConfigMap(
        {
          name: 'settings',
          namespace: 'shop',
          body: { metadata: { resourceVersion: '1' }, data: { B: '2' } },
        },
        mergePatch,
      ),
    ).rejects.toMatchObject({ code: 409 });
    await expect(
      core.patchNamespacedConfigMap(
        { name: 'settings', namespace: 'shop', body: { data: { B: 2 } } },
        mergePatch,
      ),
    ).rejects.toMatchObject({ code: 422 });
    expect(
      (await core.readNamespacedConfigMap({ name: 'settings', namespace: 'shop' })).data,
    ).toBeUndefined();
  });
});
