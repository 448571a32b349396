import { GetHealthCheckCommand, GetHealthCheckStatusCommand, Route53Client } from '@aws-sdk/client-route-53';
import { resolveDnsDesiredState } from '@failover/core';
import { type Emulator, startEmulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { type ArcRoutingControlOptions, createAws } from '../src/index.js';

const credentials = { accessKeyId: 'AKIDEMULATOR0000', secretAccessKey: 'emulator-secret' };
const panel = 'arn:aws:route53-recovery-control::123456789012:controlpanel/0123456789abcdef';
const east = `${panel}/routingcontrol/east0123456789ab`;
const west = `${panel}/routingcontrol/west0123456789ab`;
const regions = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-northeast-1', 'ap-southeast-2'];
const api = { name: 'api.example.com' };

let emulator: Emulator;
afterEach(async () => {
  expect(emulator.requests.list().filter((entry) => entry.internalError)).toEqual([]);
  await emulator.stop();
});

async function start(endpointTimeoutMs = 60_000) {
  emulator = await startEmulator({
    timeScale: 1000,
    seed: {
      aws: {
        arc: {
          routingControls: [
            { arn: east, state: 'On' },
            { arn: west, state: 'On' },
          ],
        },
        route53: { healthChecks: [{ id: 'hc-arc-east', type: 'RECOVERY_CONTROL', routingControlArn: east }] },
      },
    },
  });
  const options: ArcRoutingControlOptions = {
    // Emulator time runs 1000x: a minute of it is 60 ms of real time for one endpoint to answer.
    endpointTimeoutMs,
    clusterEndpoints: regions.map((region) => ({ region, endpoint: `${emulator.url}/aws/arc/${region}` })),
    records: {
      'api.example.com.': {
        targets: [
          { id: 'us-east-1', routingControlArn: east },
          { id: 'us-west-2', routingControlArn: west },
        ],
      },
    },
  };
  const aws = createAws({ credentials, time: emulator.clock, clientConfig: { maxAttempts: 1 } });
  return aws.arcRoutingControls(options);
}

const arcCalls = (operation: string) =>
  emulator.requests
    .list()
    .filter((entry) => entry.service.startsWith('aws.arc.') && entry.operation === operation);

async function fence(arc: Awaited<ReturnType<typeof start>>) {
  const observed = (await arc.getRecordSet(api))._unsafeUnwrap();
  const desired = resolveDnsDesiredState(observed, {
    targets: { 'us-east-1': { enabled: false } },
  })._unsafeUnwrap();
  return arc.ensureRecordSet(api, desired);
}

describe('ARC routing controls as a DNS provider', () => {
  it('reads the controls as a failover record set and fences with one UpdateRoutingControlStates, then nothing', async () => {
    // Nothing is dark here: 10 emulated minutes (0.6 s of real time) per endpoint, so
    // that a slow answer on a loaded machine is not taken for a dark endpoint (the
    // adapter would then rightly try the next one, and send the update twice).
    const arc = await start(600_000);
    expect((await arc.getRecordSet(api))._unsafeUnwrap()).toEqual({
      name: 'api.example.com.',
      type: 'A',
      ttl: 60,
      routing: 'failover',
      targets: [
        { id: 'us-east-1', values: [east], priority: 1, enabled: true },
        { id: 'us-west-2', values: [west], priority: 2, enabled: true },
      ],
    });
    const first = (await fence(arc))._unsafeUnwrap();
    expect(first.changed).toBe(true);
    expect(arcCalls('UpdateRoutingControlStates')).toHaveLength(1);
    (await arc.waitForChange(first.handle!, { timeoutMs: 10_000 }))._unsafeUnwrap();
    const again = (await fence(arc))._unsafeUnwrap();
    expect(again.changed).toBe(false);
    expect(arcCalls('UpdateRoutingControlStates')).toHaveLength(1);

    // The RECOVERY_CONTROL health check now reports the control Off: Route 53 answers with the secondary.
    const route53 = new Route53Client({
      region: 'us-east-1',
      endpoint: `${emulator.url}/aws/route53`,
      credentials,
      maxAttempts: 1,
    });
    const check = await route53.send(new GetHealthCheckCommand({ HealthCheckId: 'hc-arc-east' }));
    expect(check.HealthCheck?.HealthCheckConfig).toMatchObject({
      Type: 'RECOVERY_CONTROL',
      RoutingControlArn: east,
    });
    expect(check.HealthCheck?.HealthCheckConfig?.Port).toBeUndefined();
    const status = await route53.send(new GetHealthCheckStatusCommand({ HealthCheckId: 'hc-arc-east' }));
    expect(status.HealthCheckObservations?.[0]?.StatusReport?.Status).toMatch(/^Failure/);
  });

  it('fences through another regional endpoint while us-east-1 drops connections and us-west-2 answers 503', async () => {
    // The dropped endpoint costs its whole timeout (0.6 s of real time): short enough,
    // and long enough that the answering endpoint is never given up on under load.
    const arc = await start(600_000);
    emulator.blackouts.add({ cloud: 'aws', region: 'us-east-1', mode: 'drop' });
    emulator.blackouts.add({ cloud: 'aws', region: 'us-west-2', mode: 'unavailable' });
    const result = (await fence(arc))._unsafeUnwrap();
    expect(result.changed).toBe(true);
    const dark = emulator.requests.list().filter((entry) => entry.fault === 'blackout');
    expect(new Set(dark.map((entry) => entry.service))).toEqual(
      new Set(['aws.arc.us-east-1', 'aws.arc.us-west-2']),
    );
    expect(arcCalls('UpdateRoutingControlStates').filter((entry) => entry.status === 200)).toHaveLength(1);
    expect((await arc.getRecordSet(api))._unsafeUnwrap().targets[0]!.enabled).toBe(false);

    // Route 53's control plane is homed in us-east-1: it is dark too.
    const route53 = new Route53Client({
      region: 'us-east-1',
      endpoint: `${emulator.url}/aws/route53`,
      credentials,
      maxAttempts: 1,
    });
    await expect(
      route53.send(new GetHealthCheckStatusCommand({ HealthCheckId: 'hc-arc-east' })),
    ).rejects.toThrow();
  });

  it('is unavailable, having tried all five endpoints, when every cluster region is dark', async () => {
    const arc = await start();
    for (const region of regions) emulator.blackouts.add({ cloud: 'aws', region });
    const result = await arc.getRecordSet(api);
    expect(result._unsafeUnwrapErr().kind).toBe('unavailable');
    expect(result._unsafeUnwrapErr().message).toContain('every endpoint');
    expect(arcCalls('GetRoutingControlState')).toHaveLength(5);
  });

  it('refuses a priority change as unsupported, in the pre-check first, with no mutating call', async () => {
    const arc = await start();
    const observed = (await arc.getRecordSet(api))._unsafeUnwrap();
    const desired = resolveDnsDesiredState(observed, { activeTarget: 'us-west-2' })._unsafeUnwrap();
    const pre = await arc.precheckRecordSet!(api, desired, observed);
    expect(pre._unsafeUnwrapErr().kind).toBe('unsupported');
    const ensured = await arc.ensureRecordSet(api, desired);
    expect(ensured._unsafeUnwrapErr().kind).toBe('unsupported');
    expect(emulator.requests.list().filter((entry) => entry.mutating)).toEqual([]);
  });

  it('reports an unknown routing control as not-found without trying other endpoints', async () => {
    emulator = await startEmulator({ seed: { aws: { arc: { routingControls: [] } } } });
    const arc = createAws({
      credentials,
      time: emulator.clock,
      clientConfig: { maxAttempts: 1 },
    }).arcRoutingControls({
      clusterEndpoints: regions.map((region) => ({ region, endpoint: `${emulator.url}/aws/arc/${region}` })),
      records: { 'api.example.com': { targets: [{ id: 'a', routingControlArn: east }] } },
    });
    expect((await arc.getRecordSet(api))._unsafeUnwrapErr().kind).toBe('not-found');
    expect(arcCalls('GetRoutingControlState')).toHaveLength(1);
  });
});
