import type { Emulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { createAws } from '../src/index.js';
import { awsOn, mutations, startAwsEmulator } from './aws-emulator.js';
import { awsThrough, startLostAnswerProxy } from './lost-answer-proxy.js';

let emulator: Emulator;
afterEach(async () => {
  expect(emulator.requests.list().filter((entry) => entry.internalError)).toEqual([]);
  await emulator.stop();
});

const pool = { cluster: 'ecommerce-prod', pool: 'primary', region: 'us-west-2' };

describe('EKS node groups', () => {
  it('describes a node group; the region comes from the ref, the provider options or the settings', async () => {
    emulator = await startAwsEmulator();
    const eks = awsOn(emulator).clusterScaler();
    expect((await eks.describePool(pool))._unsafeUnwrap()).toEqual({
      cluster: 'ecommerce-prod',
      pool: 'primary',
      region: 'us-west-2',
      desired: 2,
      min: 1,
      max: 10,
      ready: 2,
      autoscaling: false,
      status: 'ready',
      rawStatus: 'ACTIVE',
    });
    const { region: _region, ...noRegion } = pool;
    expect((await eks.describePool(noRegion))._unsafeUnwrap().desired).toBe(6); // settings: us-east-1
    expect(
      (await awsOn(emulator).clusterScaler({ region: 'us-west-2' }).describePool(noRegion))._unsafeUnwrap()
        .desired,
    ).toBe(2);
  });

  it('scales the standby out and waits until the update succeeded and the group is ACTIVE with every node', async () => {
    emulator = await startAwsEmulator();
    const eks = awsOn(emulator).clusterScaler();
    const ensured = (await eks.ensureSize(pool, { min: 3, desired: 6 }))._unsafeUnwrap();
    expect(ensured).toMatchObject({
      changed: true,
      before: { desired: 2, min: 1 },
      handle: { operation: 'UpdateNodegroupConfig', detail: { min: 3, max: 10, desired: 6 } },
    });
    expect((await eks.describePool(pool))._unsafeUnwrap()).toMatchObject({
      status: 'scaling',
      ready: 0,
      desired: 6,
    });
    const busy = (await eks.ensureSize(pool, { desired: 7 }))._unsafeUnwrapErr();
    expect(busy).toMatchObject({ kind: 'conflict', retryable: true, operation: 'UpdateNodegroupConfig' });

    const started = emulator.clock.now();
    const after = (await eks.waitForPool(ensured.handle!, { timeoutMs: 3_600_000 }))._unsafeUnwrap();
    expect(after).toMatchObject({ desired: 6, min: 3, ready: 6, status: 'ready' });
    expect(emulator.clock.now() - started).toBeGreaterThanOrEqual(120_000); // update + nodes joining
    expect((await eks.ensureSize(pool, { min: 3, desired: 6 }))._unsafeUnwrap()).toMatchObject({
      changed: false,
    });
    expect(emulator.requests.list({ mutating: true }).map((entry) => entry.status)).toEqual([200, 409]);
  });

  it('rejects min > max before any request, and inconsistencies with the current sizes before any mutation', async () => {
    emulator = await startAwsEmulator();
    const eks = awsOn(emulator).clusterScaler();
    const minOverMax = (await eks.ensureSize(pool, { min: 8, max: 4 }))._unsafeUnwrapErr();
    expect(minOverMax).toMatchObject({
      kind: 'invalid-input',
      provider: 'aws.eks',
      path: 'min',
      message: 'min 8 is greater than max 4.',
    });
    expect((await eks.ensureSize(pool, { desired: 3.5 }))._unsafeUnwrapErr().path).toBe('desired');
    expect((await eks.ensureSize(pool, {}))._unsafeUnwrapErr().kind).toBe('invalid-input');
    expect(emulator.requests.count()).toBe(0);

    const overCurrentMax = (await eks.ensureSize(pool, { desired: 11 }))._unsafeUnwrapErr();
    expect(overCurrentMax.message).toBe(
      'With the current sizes (min 1, desired 2, max 10): desired 11 is greater than max 10.',
    );
    expect(emulator.requests.count()).toBe(1);
    expect(mutations(emulator)).toBe(0);
  });

  it('never guesses a region, and creates no client and resolves no credentials before the first call', async () => {
    emulator = await startAwsEmulator();
    const eks = createAws().clusterScaler();
    const { region: _region, ...noRegion } = pool;
    const error = (await eks.describePool(noRegion))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'invalid-input', path: 'region' });
    expect(
      (await eks.ensureSize({ ...noRegion, region: 'mars-north-1x' }, { desired: 1 }))._unsafeUnwrapErr()
        .message,
    ).toContain('is not an AWS region');
  });

  it('a missing node group is not-found', async () => {
    emulator = await startAwsEmulator();
    const eks = awsOn(emulator).clusterScaler();
    expect((await eks.describePool({ ...pool, pool: 'nope' }))._unsafeUnwrapErr()).toMatchObject({
      kind: 'not-found',
      operation: 'DescribeNodegroup',
    });
    expect((await eks.describePool({ ...pool, region: 'eu-west-1' }))._unsafeUnwrapErr().kind).toBe(
      'not-found',
    );
  });

  it('an update whose answer was lost is waited on; a second ensure while it runs adopts it, no second call', async () => {
    emulator = await startAwsEmulator();
    const proxy = await startLostAnswerProxy(emulator);
    try {
      const eks = awsThrough(proxy, emulator).clusterScaler();
      proxy.lose(({ method, path }) => method === 'POST' && path.endsWith('/update-config'));
      const ensured = (await eks.ensureSize(pool, { min: 3, desired: 6 }))._unsafeUnwrap();
      expect(proxy.lost).toBe(1);
      expect(ensured).toMatchObject({ changed: true, handle: { detail: { min: 3, desired: 6 } } });
      const again = (await eks.ensureSize(pool, { min: 3, desired: 6 }))._unsafeUnwrap();
      expect(again).toMatchObject({ changed: true, handle: { operation: 'UpdateNodegroupConfig' } });
      const after = (await eks.waitForPool(again.handle!, { timeoutMs: 3_600_000 }))._unsafeUnwrap();
      expect(after).toMatchObject({ desired: 6, ready: 6, status: 'ready' });
      expect(mutations(emulator)).toBe(1);
    } finally {
      await proxy.stop();
    }
  });

  it('the pre-check refuses the bounds ensureSize would, as invalid-input, with no call', async () => {
    emulator = await startAwsEmulator();
    const eks = awsOn(emulator).clusterScaler();
    const observed = (await eks.describePool(pool))._unsafeUnwrap();
    for (const desired of [{ desired: 11 }, { min: 5, desired: 3 }, { max: 0 }, { desired: -1 }, {}]) {
      const precheck = (await eks.precheckSize!(pool, desired, observed))._unsafeUnwrapErr();
      const ensure = (await eks.ensureSize(pool, desired))._unsafeUnwrapErr();
      expect([desired, precheck.kind]).toEqual([desired, ensure.kind]);
      expect(precheck.kind).toBe('invalid-input');
    }
    expect((await eks.precheckSize!(pool, { desired: 10 }, observed)).isOk()).toBe(true);
    expect(mutations(emulator)).toBe(0);
  });
});
