// awsSend's retries of each request: on the injected clock, inside the call's deadline,
// reads on throttling, 5xx and resets, mutations only when throttled; a throttle holds
// the account's shared budget.
import { resolveDnsDesiredState } from '@failover/core';
import type { Emulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { awsOn, startAwsEmulator, zoneId } from './aws-emulator.js';

const api = { zone: zoneId, name: 'api.ecommerce.com', type: 'A' };
let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const statuses = (operation: string) => emulator!.requests.list({ operation }).map((entry) => entry.status);

describe('aws request retries', () => {
  it('retries a read through throttling, a 5xx and a reset, on the emulator clock', async () => {
    emulator = await startAwsEmulator();
    const dns = awsOn(emulator, { retry: { random: () => 0.5 } }).dnsProvider({ observeHealth: false });
    emulator.faults.add({
      fault: 'throttle',
      operation: 'ListResourceRecordSets',
      times: 1,
      retryAfterSeconds: 2,
    });
    emulator.faults.add({ fault: 'server-error', operation: 'ListResourceRecordSets', times: 1 });
    emulator.faults.add({ fault: 'drop', operation: 'ListResourceRecordSets', times: 1 });
    const before = emulator.clock.now();
    expect((await dns.getRecordSet(api)).isOk()).toBe(true);
    expect(statuses('ListResourceRecordSets')).toEqual([400, 500, 0, 200]);
    expect(emulator.clock.now() - before).toBeGreaterThanOrEqual(2_000);
  });

  it('gives up before the deadline with the last error', async () => {
    emulator = await startAwsEmulator();
    const dns = awsOn(emulator, { retry: {} }).dnsProvider({ observeHealth: false });
    emulator.faults.add({
      fault: 'throttle',
      operation: 'ListResourceRecordSets',
      rate: 1,
      retryAfterSeconds: 10,
    });
    const deadlineAt = emulator.clock.now() + 25_000;
    expect((await dns.getRecordSet(api, { deadlineAt }))._unsafeUnwrapErr()).toMatchObject({
      kind: 'throttled',
    });
    // AWS's Throttling carries no Retry-After: full jitter over a 1 s floor, until the deadline.
    const tries = statuses('ListResourceRecordSets');
    expect(tries.length).toBeGreaterThanOrEqual(3);
    expect(new Set(tries)).toEqual(new Set([400]));
    expect(emulator.clock.now()).toBeLessThanOrEqual(deadlineAt);
  });

  it('sends a throttled change again, never one that failed with a 5xx (it may have been applied)', async () => {
    emulator = await startAwsEmulator();
    const dns = awsOn(emulator, { retry: {} }).dnsProvider({ observeHealth: false });
    const desired = resolveDnsDesiredState((await dns.getRecordSet(api))._unsafeUnwrap(), {
      activeTarget: 'secondary',
    })._unsafeUnwrap();
    emulator.faults.add({ fault: 'server-error', operation: 'ChangeResourceRecordSets', times: 1 });
    expect((await dns.ensureRecordSet(api, desired)).isErr()).toBe(true);
    expect(statuses('ChangeResourceRecordSets')).toEqual([500]);
    emulator.faults.add({ fault: 'throttle', operation: 'ChangeResourceRecordSets', times: 1 });
    expect((await dns.ensureRecordSet(api, desired)).isOk()).toBe(true);
    expect(statuses('ChangeResourceRecordSets')).toEqual([500, 400, 200]);
  });
});
