import { runPlan } from '@failover/core';
import { type Emulator, startEmulator } from '@failover/emulator';
import { afterEach, expect, it } from 'vitest';
import providers, { seed } from './aws-emulator-providers.js';
import { checkoutFailover } from './checkout-failover-plan.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

// The same plan, bound to the AWS adapters (real SDK clients over HTTP) on the emulator,
// as `failover drill … --providers aws-emulator-providers.ts --dry-run` does it.
it('dry-runs on the AWS adapters against the emulator with zero mutating requests', async () => {
  // A dry-run waits on no operation, so a slow clock costs nothing and leaves the step
  // deadlines (30 emulated minutes) far from the SDK's first-call set-up time.
  emulator = await startEmulator({ seed, timeScale: 60 });
  const registry = await providers({ emulator: { url: emulator.url, clock: emulator.clock } });
  const plan = checkoutFailover('planned').build()._unsafeUnwrap();

  const result =
    // A dry-run sends nothing, but its notify step still needs a notifier bound to be valid.
    (
      await runPlan(plan, {
        providers: registry,
        time: emulator.clock,
        dryRun: true,
        notifier: async () => {},
      })
    )._unsafeUnwrap();

  expect(result.status).toBe('succeeded');
  expect(emulator.requests.count({ mutating: true })).toBe(0);
  // Every API call the adapters made reached the emulator (none went to a real endpoint).
  expect(emulator.requests.total).toBe(result.report.apiCalls.total.apiCalls);
  for (const service of ['aws.route53', 'aws.rds', 'aws.eks', 'aws.cloudwatch']) {
    expect(emulator.requests.count({ service }), `${service} was observed`).toBeGreaterThan(0);
  }
  // What it would do is what it would do on the simulator.
  expect(result.diffs?.promote).toMatchObject({ writerRegion: { from: 'us-east-1', to: 'us-west-2' } });
  expect(result.diffs?.['scale-standby']).toMatchObject({ desired: { from: 2, to: 6 } });
  expect(result.diffs?.['drain-east']).toMatchObject({
    wouldChange: true,
    differences: [{ path: 'targets.us-east-1.enabled', from: true, to: false }],
  });
  expect(result.diffs?.['switch-dns']).toMatchObject({ type: 'dns', wouldChange: true });
});
