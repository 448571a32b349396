import { FailoverError } from '@failover/core';
import type { Emulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { awsOn, startAwsEmulator } from './aws-emulator.js';

describe('createAws endpoints', () => {
  let emulator: Emulator | undefined;
  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
  });

  it('refuses a service left to its real endpoint when the others go to loopback', async () => {
    emulator = await startAwsEmulator();
    const db = awsOn(emulator, { endpoints: { rds: emulator.endpoint('aws.rds') } }).databaseFailover();

    const thrown = await db.getCloudWatchClient('us-east-1').catch((error: unknown) => error);

    expect(FailoverError.isInstance(thrown)).toBe(true);
    expect(thrown).toMatchObject({ kind: 'invalid-input', path: 'endpoints.cloudwatch' });
    expect((thrown as FailoverError).message).toContain('endpoints send rds to loopback');
  });

  it('builds every client when each service is named', async () => {
    emulator = await startAwsEmulator();
    const db = awsOn(emulator).databaseFailover();

    const client = await db.getCloudWatchClient('us-east-1');

    expect(await client.config.endpoint?.()).toMatchObject({ hostname: '127.0.0.1' });
  });
});
