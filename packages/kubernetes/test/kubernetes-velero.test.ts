import type { Emulator } from '@failover/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVeleroRestorer, type KubernetesVeleroRestorer } from '../src/index.js';
import { connectToEmulator, emulatorTime, startKubernetesEmulator } from './kubernetes-emulator.js';

let emulator: Emulator;
let velero: KubernetesVeleroRestorer;
const minute = 60_000;

beforeAll(async () => {
  let server: string;
  ({ emulator, server } = await startKubernetesEmulator(
    {
      name: 'dr-west',
      velero: {
        backups: [
          { name: 'hourly-20261206210000', schedule: 'hourly', completedAgoMs: 125 * minute },
          { name: 'hourly-20261206220000', schedule: 'hourly', completedAgoMs: 65 * minute },
          {
            name: 'nightly-1',
            schedule: 'nightly',
            completedAgoMs: 10 * minute,
            phase: 'PartiallyFailed',
            errors: 3,
          },
          { name: 'weekly-1', schedule: 'weekly', completedAgoMs: 10 * minute, warnings: 2 },
        ],
        restoreOutcomes: { 'weekly-1': { phase: 'PartiallyFailed', errors: 4, warnings: 7 } },
      },
    },
    { 'kubernetes.veleroPickup': 2_000, 'kubernetes.veleroRestore': 60_000 },
  ));
  const time = emulatorTime(emulator);
  const connection = connectToEmulator(server);
  velero = createVeleroRestorer(connection, { time, pollIntervalMs: 5_000 });
});
afterAll(() => emulator.stop());

const creates = () => emulator.requests.count({ cloud: 'kubernetes', mutating: true });

describe('checking the latest backup of a schedule', () => {
  it('picks the newest finished backup and checks its age against the maximum', async () => {
    const fresh = (await velero.latestBackup('hourly', 90 * minute))._unsafeUnwrap();
    expect(fresh).toMatchObject({ name: 'hourly-20261206220000', phase: 'Completed', ageMs: 65 * minute });
    const stale = (await velero.latestBackup('hourly', 60 * minute))._unsafeUnwrapErr();
    expect(stale.kind).toBe('precondition-failed');
    expect(stale.message).toMatch(/3900 s old, more than the 3600 s/);
  });

  it('refuses a backup that is not Completed or has errors, and a schedule with none', async () => {
    const partial = (await velero.latestBackup('nightly', 90 * minute))._unsafeUnwrapErr();
    expect(partial).toMatchObject({ kind: 'precondition-failed' });
    expect(partial.message).toMatch(/PartiallyFailed with 3 errors/);
    expect((await velero.latestBackup('monthly', 90 * minute))._unsafeUnwrapErr().kind).toBe('not-found');
  });
});

describe('restoring from a backup', () => {
  it('creates a restore once, waits through New and InProgress to Completed', async () => {
    const before = creates();
    const scope = { includedNamespaces: ['shop', 'edge'], excludedResources: ['events'] };
    const outcome = (await velero.ensureRestore('hourly-20261206220000', scope))._unsafeUnwrap();
    expect(outcome.changed).toBe(true);
    expect(creates()).toBe(before + 1);
    // The same backup and scope (in another order) is not restored again.
    const again = (
      await velero.ensureRestore('hourly-20261206220000', {
        includedNamespaces: ['edge', 'shop'],
        excludedResources: ['events'],
      })
    )._unsafeUnwrap();
    expect(again).toEqual({ changed: false, handle: outcome.handle });
    expect(creates()).toBe(before + 1);

    const start = emulator.clock.now();
    const waited = await velero.waitForRestore(outcome.handle, {
      timeoutMs: 10 * minute,
      expectedDurationMs: 62_000,
    });
    expect(waited._unsafeUnwrap()).toEqual({ phase: 'Completed', warnings: 0 });
    // 2 s until Velero picks it up, 60 s to run: the last look of the schedule is at the expected 62 s.
    expect(emulator.clock.now() - start).toBe(62_000);
  });

  it('a different scope is a new restore; a dry run creates nothing', async () => {
    const before = creates();
    const dry = (
      await velero.ensureRestore('hourly-20261206220000', { includedNamespaces: ['shop'] }, { dryRun: true })
    )._unsafeUnwrap();
    expect(dry.changed).toBe(true);
    expect(creates()).toBe(before);
  });

  it('a PartiallyFailed restore is an error carrying its counts', async () => {
    const outcome = (await velero.ensureRestore('weekly-1'))._unsafeUnwrap();
    const error = (
      await velero.waitForRestore(outcome.handle, { timeoutMs: 10 * minute })
    )._unsafeUnwrapErr();
    expect(error.message).toMatch(/PartiallyFailed with 4 errors and 7 warnings/);
    expect(error.cause).toEqual({ phase: 'PartiallyFailed', errors: 4, warnings: 7 });
    expect(error.retryable).toBe(false);
  });

  it('a restore of a missing backup fails validation, and a wait can time out', async () => {
    const missing = (await velero.ensureRestore('no-such-backup'))._unsafeUnwrap();
    const error = (
      await velero.waitForRestore(missing.handle, { timeoutMs: 10 * minute })
    )._unsafeUnwrapErr();
    expect(error.message).toMatch(/FailedValidation.*not found/);

    const slow = (await velero.ensureRestore('hourly-20261206210000'))._unsafeUnwrap();
    expect((await velero.waitForRestore(slow.handle, { timeoutMs: 20_000 }))._unsafeUnwrapErr().kind).toBe(
      'timeout',
    );
  });
});
