import { type Emulator, findS3Service, startEmulator } from '@failover/emulator';
import { registerJournalObjectStoreCases } from '@failover/testing/conformance';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { s3JournalStore } from '../src/index.js';
import { credentials } from './aws-emulator.js';

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
  findS3Service(emulator.services)!.createBucket('runs');
});
afterEach(async () => {
  await emulator.stop();
});

const store = (prefix = 'payments') =>
  s3JournalStore({
    bucket: 'runs',
    prefix,
    region: 'us-east-1',
    credentials,
    endpoint: emulator.endpoint('aws.s3'),
  });
const objects = () => findS3Service(emulator.services)!.buckets.get('runs')!;

describe('s3JournalStore', () => {
  it('creates a key only if absent (If-None-Match: *), reads, lists below its prefix and deletes', async () => {
    const s3 = store();
    expect((await s3.createIfAbsent('a/1', 'one\n'))._unsafeUnwrap()).toBe(true);
    expect((await s3.createIfAbsent('a/1', 'two\n'))._unsafeUnwrap()).toBe(false);
    expect((await s3.get('a/1'))._unsafeUnwrap()).toBe('one\n');
    expect((await s3.get('a/2'))._unsafeUnwrap()).toBeUndefined();
    await s3.createIfAbsent('b', 'x');
    expect((await s3.list('a/'))._unsafeUnwrap()).toEqual(['a/1']);
    expect([...objects().keys()].sort()).toEqual(['payments/a/1', 'payments/b']);
    expect((await s3.delete('a/1')).isOk()).toBe(true);
    expect((await s3.delete('a/1')).isOk()).toBe(true);
    expect((await s3.get('a/1'))._unsafeUnwrap()).toBeUndefined();
    expect(s3.location).toBe('s3://runs/payments');
  });

  it('answers a create-only write on an existing key with the real 412 PreconditionFailed document', async () => {
    await store().createIfAbsent('k', 'x');
    const logged = emulator.requests.list({ service: 'aws.s3', operation: 'PutObject' });
    expect(logged).toHaveLength(1);
    await store().createIfAbsent('k', 'y');
    const second = emulator.requests.list({ service: 'aws.s3', operation: 'PutObject' }).at(-1)!;
    expect(second.status).toBe(412);
  });

  registerJournalObjectStoreCases(() => ({
    store,
    storedKeys: () => [...objects().keys()],
    loseNextCreate: () =>
      emulator.faults.add({ fault: 'applied-then-500', service: 'aws.s3', operation: 'PutObject', times: 1 }),
    removeStored: (key) => objects().delete(key),
    prefix: 'payments',
  }));
});
