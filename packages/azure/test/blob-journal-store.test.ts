import { type Emulator, findBlobService, startEmulator } from '@failover/emulator';
import { registerJournalObjectStoreCases } from '@failover/testing/conformance';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blobJournalStore } from '../src/index.js';

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
  findBlobService(emulator.services)!.createContainer('drjournals', 'runs');
});
afterEach(async () => {
  await emulator.stop();
});

const store = (prefix = 'payments') =>
  blobJournalStore({
    containerUrl: `${emulator.endpoint('azure.blob')}/drjournals/runs`,
    prefix,
    credential: 'anonymous',
    // The SDK's own retry waits seconds between tries; the journal retries a lost answer itself.
    pipelineOptions: { retryOptions: { maxTries: 2, retryDelayInMs: 1, maxRetryDelayInMs: 5 } },
  });
const blobs = () => findBlobService(emulator.services)!.containers.get('drjournals/runs')!;

describe('blobJournalStore', () => {
  it('creates a blob only if absent (If-None-Match: *), reads, lists below its prefix and deletes', async () => {
    const blob = store();
    expect((await blob.createIfAbsent('a/1', 'one\n'))._unsafeUnwrap()).toBe(true);
    expect((await blob.createIfAbsent('a/1', 'two\n'))._unsafeUnwrap()).toBe(false);
    expect(
      emulator.requests.list({ service: 'azure.blob', operation: 'BlockBlob_Upload' }).at(-1)!.status,
    ).toBe(409);
    expect((await blob.get('a/1'))._unsafeUnwrap()).toBe('one\n');
    expect((await blob.get('a/2'))._unsafeUnwrap()).toBeUndefined();
    await blob.createIfAbsent('b', 'x');
    expect((await blob.list('a/'))._unsafeUnwrap()).toEqual(['a/1']);
    expect([...blobs().keys()].sort()).toEqual(['payments/a/1', 'payments/b']);
    expect((await blob.delete('a/1')).isOk()).toBe(true);
    expect((await blob.delete('a/1')).isOk()).toBe(true);
    expect((await blob.get('a/1'))._unsafeUnwrap()).toBeUndefined();
  });

  registerJournalObjectStoreCases(() => ({
    store,
    storedKeys: () => [...blobs().keys()],
    loseNextCreate: () =>
      emulator.faults.add({
        fault: 'applied-then-500',
        service: 'azure.blob',
        operation: 'BlockBlob_Upload',
        times: 1,
      }),
    removeStored: (key) => blobs().delete(key),
    prefix: 'payments',
  }));
});
