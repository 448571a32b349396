import { ListHostedZonesCommand, Route53Client } from '@aws-sdk/client-route-53';
import { afterEach, describe, expect, it } from 'vitest';
import { blackoutsPath, type Emulator, startEmulator } from '../src/index.js';

const credentials = { accessKeyId: 'AKIDEMULATOR0000', secretAccessKey: 'emulator-secret' };
let emulator: Emulator;
afterEach(() => emulator.stop());

const route53 = (region = 'us-east-1') =>
  new Route53Client({ region, endpoint: `${emulator.url}/aws/route53`, credentials, maxAttempts: 1 });

describe('region blackouts', () => {
  it('takes Route 53 down with us-east-1, where its control plane lives, and not with another region', async () => {
    emulator = await startEmulator();
    const lift = emulator.blackouts.add({ cloud: 'aws', region: 'eu-west-1' });
    await expect(route53().send(new ListHostedZonesCommand({}))).resolves.toBeDefined();
    lift();
    emulator.blackouts.add({ cloud: 'aws', region: 'us-east-1' });
    const failure = await route53()
      .send(new ListHostedZonesCommand({}))
      .catch((error: { $metadata?: { httpStatusCode?: number } }) => error);
    expect(failure.$metadata?.httpStatusCode).toBe(503);
    expect(emulator.requests.list().at(-1)).toMatchObject({ fault: 'blackout', status: 503 });
  });

  it('drops the connection in drop mode, and the control API adds, lists and lifts blackouts', async () => {
    emulator = await startEmulator();
    const added = await fetch(`${emulator.url}${blackoutsPath}`, {
      method: 'POST',
      body: JSON.stringify({ cloud: 'aws', region: 'us-east-1', mode: 'drop' }),
    });
    expect(await added.json()).toEqual({ blackouts: [{ cloud: 'aws', region: 'us-east-1', mode: 'drop' }] });
    const failure = await route53()
      .send(new ListHostedZonesCommand({}))
      .catch((error: Error & { $metadata?: { httpStatusCode?: number } }) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure.$metadata?.httpStatusCode).toBeUndefined();

    const bad = await fetch(`${emulator.url}${blackoutsPath}`, {
      method: 'POST',
      body: JSON.stringify({ cloud: 'aws', region: 'us-east-1', mode: 'sometimes' }),
    });
    expect(bad.status).toBe(400);
    await fetch(`${emulator.url}${blackoutsPath}`, { method: 'DELETE' });
    expect(emulator.blackouts.list()).toEqual([]);
    await expect(route53().send(new ListHostedZonesCommand({}))).resolves.toBeDefined();
  });
});
