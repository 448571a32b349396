import { type Emulator, findCloudStorageService, startEmulator } from '@failover/emulator';
import { registerJournalObjectStoreCases } from '@failover/testing/conformance';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gcsJournalStore } from '../src/index.js';

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
  findCloudStorageService(emulator.services)!.createBucket('dr-runs');
});
afterEach(async () => {
  await emulator.stop();
});

const store = (prefix = 'payments') =>
  gcsJournalStore({
    bucket: 'dr-runs',
    prefix,
    rootUrl: `${emulator.endpoint('gcp.storage')}/`,
    accessToken: 'emulator-token',
  });
const objects = () => findCloudStorageService(emulator.services)!.buckets.get('dr-runs')!;

describe('gcsJournalStore', () => {
  it('creates an object only if absent (ifGenerationMatch=0), reads, lists below its prefix and deletes', async () => {
    const gcs = store();
    expect((await gcs.createIfAbsent('a/1', 'one\n'))._unsafeUnwrap()).toBe(true);
    expect((await gcs.createIfAbsent('a/1', 'two\n'))._unsafeUnwrap()).toBe(false);
    expect(
      emulator.requests.list({ service: 'gcp.storage', operation: 'objects.insert' }).at(-1)!.status,
    ).toBe(412);
    expect((await gcs.get('a/1'))._unsafeUnwrap()).toBe('one\n');
    expect((await gcs.get('a/2'))._unsafeUnwrap()).toBeUndefined();
    expect((await gcs.list('none/'))._unsafeUnwrap()).toEqual([]);
    await gcs.createIfAbsent('b', 'x');
    expect((await gcs.list('a/'))._unsafeUnwrap()).toEqual(['a/1']);
    expect([...objects().keys()].sort()).toEqual(['payments/a/1', 'payments/b']);
    expect((await gcs.delete('a/1')).isOk()).toBe(true);
    expect((await gcs.delete('a/1')).isOk()).toBe(true);
    expect((await gcs.get('a/1'))._unsafeUnwrap()).toBeUndefined();
    expect(gcs.location).toBe('gs://dr-runs/payments');
  });

  registerJournalObjectStoreCases(() => ({
    store,
    storedKeys: () => [...objects().keys()],
    loseNextCreate: () =>
      emulator.faults.add({
        fault: 'applied-then-500',
        service: 'gcp.storage',
        operation: 'objects.insert',
        times: 1,
      }),
    removeStored: (key) => objects().delete(key),
    prefix: 'payments',
  }));
});
