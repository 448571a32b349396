import type { Emulator } from '@failover/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfigMapRef, createConfigMapSetter, type KubernetesConfigMapSetter } from '../src/index.js';
import { connectToEmulator, startKubernetesEmulator } from './kubernetes-emulator.js';

let emulator: Emulator;
let configMaps: KubernetesConfigMapSetter;
const settings: ConfigMapRef = { namespace: 'shop', name: 'checkout-settings' };

beforeAll(async () => {
  let server: string;
  ({ emulator, server } = await startKubernetesEmulator({
    name: 'dr-west',
    configMaps: [
      {
        namespace: 'shop',
        name: 'checkout-settings',
        data: { DB_HOST: 'db.us-east-1.internal', MODE: 'live' },
      },
    ],
  }));
  const connection = connectToEmulator(server);
  configMaps = createConfigMapSetter(connection);
});
afterAll(() => emulator.stop());

const mutations = () => emulator.requests.count({ cloud: 'kubernetes', mutating: true });

describe('setting a ConfigMap key', () => {
  it('sets the key, keeps the others, and records the old value', async () => {
    const outcome = (
      await configMaps.ensureKey(settings, 'DB_HOST', 'db.us-west-2.internal')
    )._unsafeUnwrap();
    expect(outcome).toMatchObject({ changed: true, before: { value: 'db.us-east-1.internal' } });
    expect((await configMaps.observe(settings))._unsafeUnwrap()).toEqual({
      DB_HOST: 'db.us-west-2.internal',
      MODE: 'live',
    });
  });

  it('sends nothing when the key already has the value, or on a dry run', async () => {
    const before = mutations();
    expect(
      (await configMaps.ensureKey(settings, 'DB_HOST', 'db.us-west-2.internal'))._unsafeUnwrap().changed,
    ).toBe(false);
    expect(
      (await configMaps.ensureKey(settings, 'DB_HOST', 'x', { dryRun: true }))._unsafeUnwrap().changed,
    ).toBe(true);
    expect(mutations()).toBe(before);
  });

  it('undo restores the old value, and removes a key that did not exist', async () => {
    (await configMaps.undo(settings, 'DB_HOST', { value: 'db.us-east-1.internal' }))._unsafeUnwrap();
    const added = (await configMaps.ensureKey(settings, 'READ_ONLY', 'true'))._unsafeUnwrap();
    expect(added.before).toEqual({});
    (await configMaps.undo(settings, 'READ_ONLY', added.before))._unsafeUnwrap();
    expect((await configMaps.observe(settings))._unsafeUnwrap()).toEqual({
      DB_HOST: 'db.us-east-1.internal',
      MODE: 'live',
    });
  });

  it('maps a missing ConfigMap to not-found', async () => {
    expect(
      (await configMaps.ensureKey({ namespace: 'shop', name: 'nope' }, 'K', 'v'))._unsafeUnwrapErr().kind,
    ).toBe('not-found');
  });
});
