// The CLI's dry-run and run summaries name every step a provider's pre-check refuses,
// and say when a run failed over partially (issues 11.2 and 19.3).
import { createVirtualTime, definePlan, runPlan, scale } from '@failover/core';
import { createSimulatedWorld } from '@failover/testing';
import { expect, it } from 'vitest';
import { colorsFor } from '../packages/cli/src/cli-colors.js';
import { renderDryRun, renderRunSummary } from '../packages/cli/src/run-output.js';

const pool = { cluster: 'prod-euw1', pool: 'general', region: 'eu-west-1' };

it('dry-run and run summaries list every refused step with its id', async () => {
  const world = createSimulatedWorld({ seed: 3, time: createVirtualTime() }).seed({
    pools: [{ ...pool, desired: 2, min: 1, max: 12 }],
  });
  const plan = definePlan({ id: 'p', name: 'p', sourceRegion: 'us-east-1', targetRegion: 'eu-west-1' })
    .step(scale.pool('too-big', { provider: 'k8s', pool, desired: 40 }))
    .step(scale.pool('min-above-max', { provider: 'k8s', pool, min: 13 }))
    .build()
    ._unsafeUnwrap();
  const colors = colorsFor(false, {});
  const options = { providers: { k8s: world.clusterScaler() }, time: world.time };

  const dry = (await runPlan(plan, { ...options, dryRun: true }))._unsafeUnwrap();
  const dryText = renderDryRun(dry, colors);
  expect(dryText).toContain('too-big: would be REFUSED by the provider: invalid-input');
  expect(dryText).toContain("2 steps refused by the providers' pre-checks (the run would fail there)");

  const run = (await runPlan(plan, options))._unsafeUnwrap();
  const summary = renderRunSummary(run, colors);
  expect(summary).toContain('nothing was changed');
  expect(summary).toContain('too-big: invalid-input');
  expect(summary).toContain('min-above-max: invalid-input');
  expect(world.calls({ mutating: true })).toEqual([]);
});
