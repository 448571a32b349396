import { type ApiCall, resolveDnsDesiredState } from '@failover/core';
import type { Emulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { awsOn, startAwsEmulator, zoneId } from './aws-emulator.js';

let emulator: Emulator;
afterEach(async () => {
  await emulator.stop();
});

/**
 * One failover of the seed runbook (us-east-1 → us-west-2): switch the Aurora
 * global database over, scale the standby node group out, then swap the
 * Route 53 failover record. Counts every AWS request per adapter (observe +
 * act + wait) from the emulator's request log, and checks `onApiCall` agrees.
 */
describe('seed runbook failover: API calls per adapter', () => {
  it('counts observe, act and wait requests from the request log', async () => {
    emulator = await startAwsEmulator();
    const aws = awsOn(emulator);
    const reported: ApiCall[] = [];
    const onApiCall = (call: ApiCall) => reported.push(call);
    const phase = (service: string) => {
      const entries = emulator.requests.list({ service });
      return {
        total: entries.length,
        mutating: entries.filter((entry) => entry.mutating).length,
        operations: count(entries.map((entry) => entry.operation)),
      };
    };

    const db = aws.databaseFailover();
    const switched = (
      await db.ensureWriter(
        { id: 'ecommerce-global' },
        { region: 'us-west-2', mode: 'planned' },
        { onApiCall },
      )
    )._unsafeUnwrap();
    (await db.waitForWriter(switched.handle!, { timeoutMs: 30 * 60_000, onApiCall }))._unsafeUnwrap();

    const eks = aws.clusterScaler();
    const pool = { cluster: 'ecommerce-prod', pool: 'primary', region: 'us-west-2' };
    const scaled = (await eks.ensureSize(pool, { min: 3, desired: 6 }, { onApiCall }))._unsafeUnwrap();
    (await eks.waitForPool(scaled.handle!, { timeoutMs: 30 * 60_000, onApiCall }))._unsafeUnwrap();

    const dns = aws.dnsProvider({ hostedZone: zoneId });
    const ref = { name: 'api.ecommerce.com', type: 'A' };
    const current = (await dns.getRecordSet(ref, { onApiCall }))._unsafeUnwrap();
    const desired = resolveDnsDesiredState(current, { activeTarget: 'secondary' })._unsafeUnwrap();
    const swapped = (await dns.ensureRecordSet(ref, desired, { onApiCall }))._unsafeUnwrap();
    (await dns.waitForChange(swapped.handle!, { timeoutMs: 30 * 60_000, onApiCall }))._unsafeUnwrap();

    const counts = {
      'aws.aurora': phase('aws.rds'),
      'aws.eks': phase('aws.eks'),
      'aws.route53': phase('aws.route53'),
    };
    console.log(`API calls for one failover of the seed runbook:\n${JSON.stringify(counts, null, 2)}`);
    expect(counts['aws.aurora'].mutating).toBe(1);
    expect(counts['aws.eks'].mutating).toBe(1);
    expect(counts['aws.route53'].mutating).toBe(1);
    expect(reported).toHaveLength(emulator.requests.count());
    expect(emulator.requests.list().every((entry) => entry.status < 400)).toBe(true);
  });
});

function count(operations: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const operation of operations) out[operation] = (out[operation] ?? 0) + 1;
  return out;
}
