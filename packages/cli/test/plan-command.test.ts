// `failover plan`: the order, every step's dry-run diff and every pre-check refusal, read-only
// (issue 11): the emulator's request log shows reads and no mutating call.
import { type Emulator, startEmulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { seed } from '../../../examples/region-outage/providers.js';
import { runFailover } from './cli-harness.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

describe('failover plan', () => {
  it('prints the waves and what every step would change, with no mutating call', async () => {
    emulator = await startEmulator({ seed, timeScale: 600 });
    const run = await runFailover([
      'plan',
      'examples/region-outage/plan.ts',
      '--providers',
      'examples/region-outage/providers.ts',
      '--emulator',
      emulator.url,
    ]);
    expect(run.code, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('Order of ecommerce-region-outage: 5 waves');
    // The top-level steps wait only for what they name: the lag check and the fences side by
    // side, then the approval, then the promotion beside the scale-up.
    expect(run.stdout).toContain(
      '  1. secondary-lag, fence-arc, writer-unreachable\n  2. approve-data-loss\n  3. promote-aurora, scale-standby\n  4. switch-traffic\n  5. serving-from-west',
    );
    expect(run.stdout).toMatch(
      /fence-arc: would change the record set\n\s+targets\.us-east-1\.enabled: true -> false/,
    );
    expect(run.stdout).toMatch(/promote-aurora: would move the writer us-east-1 -> us-west-2 \(forced\)/);
    expect(run.stdout).toMatch(/scale-standby: would resize the pool\n\s+desired: 2 -> 6/);
    const requests = emulator.requests.list();
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((request) => request.mutating)).toEqual([]);
  });

  it('exits 2 and names each step a pre-check refuses', async () => {
    const run = await runFailover([
      'plan',
      'test/fixtures/precheck-plan.ts',
      '--providers',
      'test/fixtures/precheck-providers.ts',
    ]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toContain('Order of precheck: 1 wave\n  1. fits, too-big');
    expect(run.stdout).toMatch(/too-big: would be REFUSED by the provider: invalid-input/);
    expect(run.stdout).toMatch(/fits: would resize the pool/);
    expect(run.stderr).toContain('a run would be refused at too-big');

    const json = await runFailover([
      'plan',
      'test/fixtures/precheck-plan.ts',
      '--providers',
      'test/fixtures/precheck-providers.ts',
      '--json',
    ]);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({
      planId: 'precheck',
      waves: [['fits', 'too-big']],
      refusals: [{ stepId: 'too-big', kind: 'invalid-input' }],
    });
  });
});
