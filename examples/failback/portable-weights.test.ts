// Portable weights through the three DNS adapters on the emulator: one plan says 10 % / 90 %,
// then 0 % / 100 %, on Route 53 (weights 0-255), Traffic Manager (1-1000, no 0: a disabled
// endpoint) and Cloud DNS WRR; each service ends with its own way of saying it. The
// pre-check refuses, per service, a share it cannot say exactly. The records and the providers
// are the weighted world in weighted-multi-cloud.ts (every service starts all east).
import {
  type FailoverPlan,
  type PlanStep,
  type ProviderRegistry,
  runPlan,
  validatePlan,
} from '@failover/core';
import { type Emulator, startEmulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { weightedProviders, weightedRecords, weightedSeed } from './weighted-multi-cloud.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

function plan(id: string, east: number, west: number): FailoverPlan {
  const steps: PlanStep[] = weightedRecords.map(({ provider, record, east: e, west: w }) => ({
    id: `${provider}-${east}`,
    kind: 'action',
    action: {
      type: 'dns',
      provider,
      record: { ...record },
      desired: { weightPercents: { [e]: east, [w]: west } },
    },
  }));
  return { version: 1, id, name: id, sourceRegion: 'us-east-1', targetRegion: 'us-west-2', steps };
}

async function shapes(providers: ProviderRegistry) {
  const out: Record<string, Array<{ weight?: number; enabled: boolean }>> = {};
  for (const { provider, record } of weightedRecords) {
    const dns = providers[provider] as Extract<ProviderRegistry[string], { kind: 'dns' }>;
    const set = (await dns.getRecordSet(record))._unsafeUnwrap();
    out[provider] = set.targets.map((target) => ({
      ...(target.weight !== undefined && { weight: target.weight }),
      enabled: target.enabled,
    }));
  }
  return out;
}

describe('portable weights on the three DNS services', () => {
  it('says 10 % / 90 % and 0 % / 100 % in each service’s own weights', async () => {
    emulator = await startEmulator({ seed: weightedSeed, timeScale: 240 });
    const providers = weightedProviders(emulator);

    const canary = await runPlan(plan('ten', 10, 90), { providers, time: emulator.clock });
    expect(canary._unsafeUnwrap().status).toBe('succeeded');
    expect(await shapes(providers)).toEqual({
      route53: [
        { weight: 10, enabled: true },
        { weight: 90, enabled: true },
      ],
      tm: [
        { weight: 100, enabled: true },
        { weight: 900, enabled: true },
      ],
      clouddns: [
        { weight: 10, enabled: true },
        { weight: 90, enabled: true },
      ],
    });

    const all = await runPlan(plan('all', 0, 100), { providers, time: emulator.clock });
    expect(all._unsafeUnwrap().status).toBe('succeeded');
    const after = await shapes(providers);
    expect(after.route53).toEqual([
      { weight: 0, enabled: true },
      { weight: 100, enabled: true },
    ]);
    // Traffic Manager has no weight 0: the endpoint is disabled, its weight left as it was.
    expect(after.tm).toEqual([
      { weight: 100, enabled: false },
      { weight: 1000, enabled: true },
    ]);
    expect(after.clouddns).toEqual([
      { weight: 0, enabled: true },
      { weight: 100, enabled: true },
    ]);
  });

  it('refuses, before any call, a share a service cannot say exactly', async () => {
    emulator = await startEmulator({ seed: weightedSeed, timeScale: 240 });
    const providers = weightedProviders(emulator);
    const validated = validatePlan(plan('third', 33.5, 66.5), { providers });
    const problems = validated.isErr() ? validated.error.problems : [];
    // Route 53 takes whole weights only; Traffic Manager says 33.5 % as 335, Cloud DNS as 33.5.
    expect(problems.map((problem) => [problem.code, problem.path.split('.action')[0]])).toEqual([
      ['inexpressible-weight', 'steps[0]'],
    ]);
    expect(emulator.requests.total).toBe(0);
  });
});
