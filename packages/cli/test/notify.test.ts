import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Emulator, startEmulator } from '@failover/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitCodes } from '../src/index.js';
import { fixture, runFailover } from './cli-harness.js';

// The CLI runs as a subprocess; the Slack webhook is a loopback receiver that
// records what it got (and can refuse the first posts, to show the retries).
let emulator: Emulator;
let receiver: Server;
let hookUrl: string;
let received: Array<{ path: string; body: { text: string } }>;
let refuseFirst = 0;

beforeEach(async () => {
  emulator = await startEmulator({ timeScale: 10 });
  received = [];
  refuseFirst = 0;
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      if (refuseFirst > 0) {
        refuseFirst--;
        response.writeHead(503).end();
        return;
      }
      received.push({ path: request.url ?? '', body: JSON.parse(body) as { text: string } });
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/services/T0/B0/s3cret`;
});
afterEach(async () => {
  await emulator.stop();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

const run = (...extra: string[]) =>
  runFailover(
    ['run', fixture('notify-plan.yaml'), '--emulator', emulator.url, '--time-scale', '10', ...extra],
    {
      SLACK_HOOK: hookUrl,
    },
  );

describe('failover run with notifications', () => {
  it('refuses a plan whose notify steps have no notifier bound, before anything runs', async () => {
    const result = await run();
    expect(result.code).toBe(exitCodes.invalid);
    expect(result.stderr).toContain('missing-notifier');
    expect(result.stderr).toContain('steps[0].channel');
    expect(received).toEqual([]);
  });

  it('binds --notify slack=env:…, fills the stage templates and announces the run, retrying a refusal', async () => {
    refuseFirst = 1;
    const result = await run('--notify', 'slack=env:SLACK_HOOK', '--notify-events', 'slack:#ops');
    expect(result.stderr).not.toContain('s3cret');
    expect(result.code).toBe(exitCodes.success);
    // The run's own announcements go in the background beside the steps: compare in any order.
    const texts = received.map((r) => r.body.text.split('\n')[0]).sort();
    expect(texts).toEqual([
      'Failover completed: Notify drill serves from us-west-2',
      'Failover completed: Notify drill serves from us-west-2',
      'Failover started: Notify drill (us-east-1 -> us-west-2)',
      'Incident declared: Notify drill',
    ]);
    expect(refuseFirst).toBe(0);
    const completed = received.find((r) => r.body.text.includes('Checkout serves from us-west-2.'))!.body
      .text;
    // The 30 s switch, plus what the scaled clock counts of the real HTTP posts.
    expect(completed).toMatch(/Achieved RTO (3\d|4\d|5\d) s \(objective 15m 00s\)/);
    expect(received.every((r) => r.path === '/services/T0/B0/s3cret')).toBe(true);
  });

  it('rejects an unknown channel kind and a value that is not a URL, without echoing it', async () => {
    const unknown = await run('--notify', 'carrier-pigeon=coo');
    expect(unknown.code).toBe(exitCodes.invalid);
    expect(unknown.stderr).toContain('unknown channel kind "carrier-pigeon"');
    const notUrl = await run('--notify', 'slack=xoxb-not-a-url');
    expect(notUrl.code).toBe(exitCodes.invalid);
    expect(notUrl.stderr).not.toContain('xoxb-not-a-url');
  });

  it('makes validate --emulator check the binding as a run would', async () => {
    const validate = (...extra: string[]) =>
      runFailover(['validate', fixture('notify-plan.yaml'), '--emulator', emulator.url, ...extra]);
    const unbound = await validate();
    expect(unbound.code).toBe(exitCodes.invalid);
    expect(unbound.stderr).toContain('missing-notifier');
    const bound = await validate('--notify', `slack=${hookUrl}`);
    expect(bound.stderr).toBe('');
    expect(bound.code).toBe(exitCodes.success);
    // Validation observes; it sends nothing.
    expect(received).toEqual([]);
  });
});
